using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using EsUpgrade.Upgrade;

namespace EsUpgrade.NodeActions;

/// <summary>
/// A node action of a batch, run in a runspace of its own so the nodes of a batch are upgraded side by side. A script
/// block belongs to the runspace that made it (invoked from another, it would run back there, one at a time), so the
/// action is made again from its text in the new runspace, with the variables it names copied in: from the closure or
/// module it was made in (GetNewClosure, New-EsWindowsNodeAction), else from the caller's scope; the modules the caller
/// has imported (EsUpgrade among them) are imported there from their paths. Functions defined only in the caller's
/// session are not there: -ThrottleLimit 1 runs the actions in the session instead.
/// </summary>
internal sealed class NodeActionRunspace
{
    /// <summary>Variables PowerShell sets itself, or the action's own parameters: never copied.</summary>
    static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "_", "PSItem", "args", "input", "this", "true", "false", "null", "Node", "TargetVersion", "PSScriptRoot", "PSCommandPath",
        "MyInvocation", "PSBoundParameters", "PSCmdlet", "Host", "ExecutionContext", "PID", "PWD", "Error", "LASTEXITCODE", "?", "^", "$",
        "HOME", "ShellId", "PSHOME", "PSVersionTable", "IsWindows", "IsLinux", "IsMacOS", "IsCoreCLR", "NestedPromptLevel", "StackTrace",
        "foreach", "switch", "Matches", "PSCulture", "PSUICulture", "PSDebugContext", "EnabledExperimentalFeatures", "PSEdition",
    };

    static readonly string[] Preferences = { "VerbosePreference", "WarningPreference", "InformationPreference", "DebugPreference", "ErrorActionPreference", "ProgressPreference", "ConfirmPreference", "WhatIfPreference" };

    readonly string script;
    readonly Dictionary<string, object?> variables;
    readonly string[] modules;

    NodeActionRunspace(string script, Dictionary<string, object?> variables, string[] modules)
    {
        this.script = script;
        this.variables = variables;
        this.modules = modules;
    }

    /// <summary>
    /// Reads the action's text, the values of the variables it names and the paths of the modules the caller has
    /// imported (<paramref name="imported"/>, Get-Module's answer); on the pipeline thread, where they live.
    /// </summary>
    public static NodeActionRunspace Capture(ScriptBlock action, SessionState caller, IEnumerable<PSModuleInfo> imported)
    {
        var names = action.Ast.FindAll(a => a is VariableExpressionAst, searchNestedScriptBlocks: true).Cast<VariableExpressionAst>()
            .Select(v => v.VariablePath)
            .Where(p => !p.IsDriveQualified && (p.IsUnqualified || p.IsScript || p.IsGlobal))
            .Select(p => p.UserPath.Split(':').Last())
            .Where(n => !NotCopied.Contains(n))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var variable = action.Module?.SessionState.PSVariable.Get(name) ?? caller.PSVariable.Get(name);
            if (variable != null) values[name] = variable.Value;
        }
        // The caller's preferences, as an action run in the session has them.
        foreach (var preference in Preferences)
            if (!values.ContainsKey(preference) && caller.PSVariable.GetValue(preference) is { } value) values[preference] = value;
        // Imported from a file (a manifest, a script module, a DLL); dynamic modules (a closure's) have no path.
        var paths = imported.Where(m => !string.IsNullOrEmpty(m.Path) && File.Exists(m.Path))
            .Select(m => m.Name == "EsUpgrade" ? Path.Combine(m.ModuleBase, "EsUpgrade.psd1") : m.Path)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new NodeActionRunspace(action.ToString(), values, paths);
    }

    /// <summary>
    /// Runs the action for the node in a new runspace and returns what it wrote to its output. Each record it writes to
    /// another stream goes to <paramref name="write"/> as it comes, the node's name before it. <paramref name="stop"/>
    /// (Ctrl+C) stops the action's pipeline; nothing else does, since a node half-installed is worse than one upgraded.
    /// </summary>
    public IReadOnlyList<string> Run(PlannedNode node, string targetVersion, Action<object> write, CancellationToken stop)
    {
        var state = InitialSessionState.CreateDefault2();
        if (modules.Length > 0) state.ImportPSModule(modules);
        foreach (var pair in variables) state.Variables.Add(new SessionStateVariableEntry(pair.Key, pair.Value, null));
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("param($__script, $__node, $__version) $_ = $__node; & ([scriptblock]::Create($__script)) $__node $__version")
            .AddArgument(script).AddArgument(node).AddArgument(targetVersion);
        Forward(ps.Streams.Verbose, write);
        Forward(ps.Streams.Warning, write);
        Forward(ps.Streams.Information, write);
        Forward(ps.Streams.Error, write);
        using var stopping = stop.Register(() => ps.BeginStop(null, null));
        var said = new List<string>();
        foreach (var output in ps.Invoke())
        {
            if (output is null) continue;
            said.Add(output.ToString());
            write(output.ToString());
        }
        stop.ThrowIfCancellationRequested();
        return said;
    }

    static void Forward<T>(PSDataCollection<T> stream, Action<object> write) =>
        stream.DataAdded += (_, e) => write(stream[e.Index]!);
}
