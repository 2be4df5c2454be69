using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EsUpgrade.Completion;
using EsUpgrade.Connections;

namespace EsUpgrade.Commands;

/// <summary>
/// Tab completion of names in a cluster, from the live cluster (<see cref="NameCatalog"/>: 2 s, cached 30 s, silent
/// when it does not answer). The cluster is the one the command line names (-Connection, -Source, -SourceConnection,
/// -Reference), else the current connection.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    protected abstract NameKind Kind { get; }

    static readonly string[] ClusterParameters = { "Connection", "Source", "SourceConnection", "Reference" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var connection = ClusterParameters.Select(p => fakeBoundParameters.Contains(p) ? fakeBoundParameters[p] : null)
                                 .Select(v => v is PSObject ps ? ps.BaseObject : v).OfType<EsConnection>().FirstOrDefault()
                             ?? ConnectionRegistry.Session.Current;
            if (connection is null || !connection.IsOpen) return Array.Empty<CompletionResult>();
            var repository = Kind == NameKind.Snapshot && fakeBoundParameters.Contains("Repository") ? fakeBoundParameters["Repository"]?.ToString() : null;
            return Matching(NameCatalog.Names(connection, Kind, repository), wordToComplete);
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The names that start with what was typed (quotes ignored), quoted where PowerShell needs it.</summary>
    internal static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string? typed)
    {
        var prefix = (typed ?? "").Trim('\'', '"');
        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '$', '`', '\'', '"', ',', ';', '(', ')', '{', '}', '@', '#', '|', '&' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n,
                n, CompletionResultType.ParameterValue, n));
    }
}

public sealed class IndexNameCompleter : ClusterNameCompleter { protected override NameKind Kind => NameKind.Index; }
public sealed class NodeNameCompleter : ClusterNameCompleter { protected override NameKind Kind => NameKind.Node; }
public sealed class RepositoryNameCompleter : ClusterNameCompleter { protected override NameKind Kind => NameKind.Repository; }
public sealed class SnapshotNameCompleter : ClusterNameCompleter { protected override NameKind Kind => NameKind.Snapshot; }
public sealed class SettingNameCompleter : ClusterNameCompleter { protected override NameKind Kind => NameKind.Setting; }

/// <summary>The session's connection names (Get-EsConnection -Name, Disconnect-EsCluster -Name).</summary>
public sealed class ConnectionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ClusterNameCompleter.Matching(ConnectionRegistry.Session.All.Select(c => c.Name), wordToComplete);
}
