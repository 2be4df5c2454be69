using System;
using System.Collections.Generic;
using System.Linq;
using EsUpgrade.Errors;

namespace EsUpgrade.Connections;

/// <summary>
/// The named connections of a session and which one is current. Several live side by side
/// (an old 7.17 cluster and a new 8.x cluster).
/// </summary>
public sealed class ConnectionRegistry
{
    readonly object sync = new object();
    readonly Dictionary<string, EsConnection> connections = new Dictionary<string, EsConnection>(StringComparer.OrdinalIgnoreCase);
    EsConnection? current;

    /// <summary>The registry the PowerShell module uses.</summary>
    public static ConnectionRegistry Session { get; } = new ConnectionRegistry();

    public EsConnection? Current { get { lock (sync) return current; } }

    public IReadOnlyList<EsConnection> All
    {
        get { lock (sync) return connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList(); }
    }

    public bool IsCurrent(EsConnection connection) { lock (sync) return ReferenceEquals(current, connection); }

    /// <summary>Adds (replacing and closing one of the same name) and makes it current.</summary>
    public void Add(EsConnection connection)
    {
        EsConnection? replaced;
        lock (sync)
        {
            connections.TryGetValue(connection.Name, out replaced);
            connections[connection.Name] = connection;
            current = connection;
        }
        if (replaced != null && !ReferenceEquals(replaced, connection)) replaced.Dispose();
    }

    public bool Remove(EsConnection connection)
    {
        lock (sync)
        {
            if (!connections.TryGetValue(connection.Name, out var known) || !ReferenceEquals(known, connection)) return false;
            connections.Remove(connection.Name);
            if (ReferenceEquals(current, connection)) current = null;
        }
        connection.Dispose();
        return true;
    }

    public EsConnection Resolve(EsConnection? given) =>
        given ?? Current ?? throw new EsException(EsErrorKind.InvalidState, ErrorIds.NoConnection,
            "There is no current Elasticsearch connection. Run Connect-EsCluster first, or pass -Connection.");

    public EsConnection Find(string name)
    {
        lock (sync)
            return connections.TryGetValue(name, out var c) ? c : throw NotFound(name);
    }

    /// <summary>The connections whose names match (wildcards, any case; all when none); each full name that matches none is a ConnectionNotFound.</summary>
    public Lookup<IReadOnlyList<EsConnection>> Find(IReadOnlyList<string>? names)
    {
        var all = All;
        var found = all.Where(c => names is null || names.Any(n => Names.Like(n, c.Name))).ToList();
        var missing = Names.Unmatched(names, n => all.Any(c => Names.Like(n, c.Name))).Select(NotFound).ToList();
        return new Lookup<IReadOnlyList<EsConnection>>(found, missing);
    }

    static EsException NotFound(string name) =>
        new EsException(EsErrorKind.NotFound, ErrorIds.ConnectionNotFound, $"There is no connection named '{name}'.", name);
}
