using System;
using System.IO;

namespace EsUpgrade.Errors;

/// <summary>File work for a user's path: what the file system refuses becomes an error that names the path, not a stack trace.</summary>
public static class Files
{
    public static T Guard<T>(string path, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EsException(EsErrorKind.Permission, ErrorIds.FileAccessFailed,
                $"'{path}' cannot be read or written by this user ({ex.Message}). On Linux packages /etc/elasticsearch is readable by root and the elasticsearch group only; on Windows run as an administrator, or copy the files somewhere readable.", path, ex);
        }
        catch (IOException ex)
        {
            throw new EsException(EsErrorKind.InvalidArgument, ErrorIds.FileAccessFailed, $"'{path}': {ex.Message}", path, ex);
        }
    }

    public static void Guard(string path, Action work) => Guard(path, () => { work(); return true; });
}
