using EsUpgrade.Connections;

namespace EsUpgrade.Errors;

/// <summary>403 from a call that needs a cluster privilege: an error that names the privilege, with Elasticsearch's reason.</summary>
public static class Privileges
{
    public static EsException Missing(EsApi api, string what, string privilege, EsServerException ex) =>
        new EsException(EsErrorKind.Permission, ErrorIds.PermissionDenied,
            $"{what} needs the [{privilege}] cluster privilege, which the user of '{api.Connection.Name}' ({api.Connection.Authentication}) lacks. Elasticsearch said: {ex.Reason}",
            api.Connection.Name, ex);
}
