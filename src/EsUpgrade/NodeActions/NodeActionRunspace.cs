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
/// module it was made in (GetNewClosure, New-EsWindowsNodeAction), else from the caller's scope; script blocks held in
/// those variables and the session's functions it calls are made again there too; the modules the caller has imported
/// (EsUpgrade among them) are imported there from their paths; the caller's location and preferences hold there.
/// -ThrottleLimit 1 runs the actions in the session instead.
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
    readonly Dictionary<string, string> blocks;
    readonly Dictionary<string, string> functions;
    readonly string[] modules;
    readonly string? location;
    readonly string? file;

    NodeActionRunspace(string script, Dictionary<string, object?> variables, Dictionary<string, string> blocks, Dictionary<string, string> functions,
        string[] modules, string? location, string? file)
    {
        this.script = script;
        this.variables = variables;
        this.blocks = blocks;
        this.functions = functions;
        this.modules = modules;
        this.location = location;
        this.file = file;
    }

    /// <summary>
    /// Reads, on the pipeline thread where they live: the action's text; the values of the variables it names (a script
    /// block among them kept as text, made again there, with the variables it names in turn); the functions it calls that
    /// were defined in the session (not those of a module, imported there); the caller's preferences and location; the
    /// paths of the modules the caller has imported (<paramref name="imported"/>, Get-Module's answer).
    /// </summary>
    public static NodeActionRunspace Capture(ScriptBlock action, SessionState caller, IEnumerable<PSModuleInfo> imported)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        var blocks = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var functions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var work = new Queue<(Ast Ast, SessionState? Home)>();
        work.Enqueue((action.Ast, action.Module?.SessionState));
        while (work.Count > 0)
        {
            var (ast, home) = work.Dequeue();
            foreach (var name in VariablesIn(ast).Where(n => !values.ContainsKey(n) && !blocks.ContainsKey(n)))
            {
                var variable = home?.PSVariable.Get(name) ?? caller.PSVariable.Get(name);
                if (variable is null) continue;
                if ((variable.Value is PSObject ps ? ps.BaseObject : variable.Value) is ScriptBlock block)
                {
                    // A script block belongs to the runspace that made it: invoked from another it would run back there.
                    blocks[name] = block.ToString();
                    work.Enqueue((block.Ast, block.Module?.SessionState));
                }
                else values[name] = variable.Value;
            }
            foreach (var command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().Select(c => c.GetCommandName()).Where(n => n != null))
            {
                if (functions.ContainsKey(command!)) continue;
                if (caller.InvokeCommand.GetCommand(command!, CommandTypes.Function) is FunctionInfo function && function.Module is null)
                {
                    functions[command!] = function.Definition;
                    work.Enqueue((function.ScriptBlock.Ast, null));
                }
            }
        }
        // The caller's preferences, as an action run in the session has them.
        foreach (var preference in Preferences)
            if (!values.ContainsKey(preference) && caller.PSVariable.GetValue(preference) is { } value) values[preference] = value;
        // Imported from a file, by its manifest when it has one (its nested modules, assemblies and types come with it);
        // dynamic modules (a closure's) have no path.
        var paths = imported.Where(m => !string.IsNullOrEmpty(m.Path) && File.Exists(m.Path))
            .Select(m => File.Exists(Path.Combine(m.ModuleBase, m.Name + ".psd1")) ? Path.Combine(m.ModuleBase, m.Name + ".psd1") : m.Path)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var here = caller.Path.CurrentFileSystemLocation?.ProviderPath;
        return new NodeActionRunspace(action.ToString(), values, blocks, functions, paths, here, action.File);
    }

    /// <summary>The variables a script names that may come from outside it (scope-qualified ones for script: and global:).</summary>
    static IEnumerable<string> VariablesIn(Ast ast) =>
        ast.FindAll(a => a is VariableExpressionAst, searchNestedScriptBlocks: true).Cast<VariableExpressionAst>()
            .Select(v => v.VariablePath)
            .Where(p => !p.IsDriveQualified && (p.IsUnqualified || p.IsScript || p.IsGlobal))
            .Select(p => p.UserPath.Split(':').Last())
            .Where(n => !NotCopied.Contains(n))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Runs the action for the node in a new runspace and returns what it wrote to its output. Each record it writes to
    /// another stream goes to <paramref name="write"/> as it comes. <paramref name="stop"/> (Ctrl+C) stops the action's
    /// pipeline; nothing else does, since a node half-installed is worse than one upgraded.
    /// </summary>
    public IReadOnlyList<string> Run(PlannedNode node, string targetVersion, Action<object> write, CancellationToken stop)
    {
        var state = InitialSessionState.CreateDefault2();
        if (modules.Length > 0) state.ImportPSModule(modules);
        foreach (var pair in variables) state.Variables.Add(new SessionStateVariableEntry(pair.Key, pair.Value, null));
        foreach (var pair in functions) state.Commands.Add(new SessionStateFunctionEntry(pair.Key, pair.Value));
        if (file != null)
        {
            // Where the action was written: $PSScriptRoot and $PSCommandPath as it would see them in the session.
            state.Variables.Add(new SessionStateVariableEntry("PSScriptRoot", Path.GetDirectoryName(file), null));
            state.Variables.Add(new SessionStateVariableEntry("PSCommandPath", file, null));
        }
        stop.ThrowIfCancellationRequested();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("param($__script, $__node, $__version, $__location, $__blocks) " +
                     "if ($__location) { Set-Location -LiteralPath $__location } " +
                     "foreach ($__name in @($__blocks.Keys)) { Set-Variable -Name $__name -Value ([scriptblock]::Create($__blocks[$__name])) -Scope Global } " +
                     "$_ = $__node; & ([scriptblock]::Create($__script)) $__node $__version")
            .AddArgument(script).AddArgument(node).AddArgument(targetVersion).AddArgument(location).AddArgument(blocks);
        Forward(ps.Streams.Verbose, write);
        Forward(ps.Streams.Warning, write);
        Forward(ps.Streams.Information, write);
        Forward(ps.Streams.Error, write);
        stop.ThrowIfCancellationRequested();
        // Begun before the stop is wired, so a Ctrl+C at any moment stops a pipeline that runs.
        var running = ps.BeginInvoke();
        using var stopping = stop.Register(() => ps.BeginStop(null, null));
        var said = new List<string>();
        foreach (var output in ps.EndInvoke(running))
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
