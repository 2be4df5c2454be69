using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Management.Automation;

namespace EsUpgrade.Loader;

/// <summary>
/// Keeps the module's dependencies apart from every other module's, the way PowerShell's docs describe
/// ("Resolving PowerShell module assembly dependency conflicts"). The cmdlets (this assembly) load as usual; the
/// core and everything it needs sit in <c>lib/</c>, where nothing probes. This assembly is the manifest's first
/// nested module, so the load context is there before PowerShell reads the cmdlets (whose types need the core).
/// <list type="bullet">
/// <item>PowerShell 7: the core and each library in <c>lib/</c> that the host does not provide itself load into an
/// AssemblyLoadContext of their own; the default context is answered only for <c>EsUpgrade.Core</c>. Another module's
/// YamlDotNet or Elastic.Transport, of any version, loaded before or after, never meets ours. What the host
/// provides (System.Text.Json, System.Memory, ... in .NET's shared framework) is the host's: a newer version than
/// ours, the one every assembly in the process shares.</item>
/// <item>Windows PowerShell 5.1: no load contexts and no binding redirects for a module; every request for an
/// assembly that <c>lib/</c> holds — whatever version is asked for — is answered with the copy there, loaded
/// side by side with any other version another module loaded.</item>
/// </list>
/// Reflection stands in for AssemblyLoadContext, which netstandard2.0 does not name.
/// </summary>
public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    static readonly object Gate = new object();
    static bool registered;
    static Assembly? core;

    /// <summary>Where the dependencies are: <c>lib/</c> beside this assembly.</summary>
    public static string LibraryDirectory => Path.Combine(Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".", "lib");

    /// <summary>The load context's name on PowerShell 7, or null on Windows PowerShell (and before the import).</summary>
    public static string? LoadContextName { get; private set; }

    public void OnImport()
    {
        lock (Gate)
        {
            if (registered) return;
            registered = true;
            var contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
            if (contextType != null && Directory.Exists(LibraryDirectory)) Isolate(contextType);
            else AppDomain.CurrentDomain.AssemblyResolve += SideBySide;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The load context stays: assemblies cannot be unloaded from a non-collectible one, and a re-import finds it.
    }

    /// <summary>The simple names of the assemblies the host provides (.NET's shared framework and PowerShell's own).</summary>
    static HashSet<string> HostAssemblies()
    {
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        return new HashSet<string>(list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileNameWithoutExtension), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Which of <c>lib/</c>'s assemblies load into the module's own context: those the host does not provide.
    /// Public so a test can show the decision for the host it runs on.
    /// </summary>
    public static IReadOnlyList<string> IsolatedAssemblies()
    {
        var host = HostAssemblies();
        return Directory.Exists(LibraryDirectory)
            ? Directory.GetFiles(LibraryDirectory, "*.dll").Where(p => !host.Contains(Path.GetFileNameWithoutExtension(p))).OrderBy(p => p, StringComparer.Ordinal).ToList()
            : (IReadOnlyList<string>)Array.Empty<string>();
    }

    static void Isolate(Type contextType)
    {
        var constructor = contextType.GetConstructor(new[] { typeof(string), typeof(bool) })
                          ?? throw new PlatformNotSupportedException("AssemblyLoadContext(string, bool) is missing: PowerShell 7.0 or later is needed.");
        var context = constructor.Invoke(new object[] { "EsUpgrade", false });
        var loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
        // Loaded up front, so that a reference from inside the context finds them in the context's own cache first,
        // before the default context could offer another module's copy of the same name.
        foreach (var path in IsolatedAssemblies())
        {
            var assembly = (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
            if (assembly.GetName().Name == "EsUpgrade.Core") core = assembly;
        }
        LoadContextName = "EsUpgrade";
        if (core != null) NameTypes(core);
        var defaultContext = contextType.GetProperty("Default")!.GetValue(null);
        var resolving = contextType.GetEvent("Resolving")!;
        var handler = Delegate.CreateDelegate(resolving.EventHandlerType!, typeof(ModuleLoader).GetMethod(nameof(ResolveCore), BindingFlags.NonPublic | BindingFlags.Static)!);
        resolving.AddEventHandler(defaultContext, handler);
    }

    /// <summary>
    /// PowerShell finds a type literal ([EsUpgrade.Upgrade.NodeUpgradeResult]) only among the default context's
    /// assemblies: each public type of the core is made known under its full name, as a type accelerator.
    /// </summary>
    static void NameTypes(Assembly assembly)
    {
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        if (add is null) return;
        foreach (var type in assembly.GetExportedTypes())
            if (type.FullName != null && !type.IsNested) add.Invoke(null, new object[] { type.FullName, type });
    }

    /// <summary>The default context asks for what the cmdlets reference: only the core is answered, from the module's context.</summary>
    static Assembly? ResolveCore(object context, AssemblyName name) =>
        string.Equals(name.Name, "EsUpgrade.Core", StringComparison.OrdinalIgnoreCase) ? core : null;

    /// <summary>Windows PowerShell: an assembly <c>lib/</c> holds, whatever version was asked for.</summary>
    static Assembly? SideBySide(object? sender, ResolveEventArgs args)
    {
        var path = PathFor(LibraryDirectory, new AssemblyName(args.Name).Name);
        return path is null ? null : Assembly.LoadFrom(path);
    }

    /// <summary>The file in <paramref name="directory"/> that answers a request for <paramref name="simpleName"/>, any version; null when there is none.</summary>
    public static string? PathFor(string directory, string? simpleName)
    {
        if (string.IsNullOrEmpty(simpleName) || simpleName!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
        var path = Path.Combine(directory, simpleName + ".dll");
        return File.Exists(path) ? path : null;
    }
}
