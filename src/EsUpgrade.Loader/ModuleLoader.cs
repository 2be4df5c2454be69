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
            var contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
            if (contextType != null && Directory.Exists(LibraryDirectory)) Isolate(contextType);
            else AppDomain.CurrentDomain.AssemblyResolve += SideBySide;
            // Only once it worked: a failed import is tried again in full by the next Import-Module.
            registered = true;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The load context stays: assemblies cannot be unloaded from a non-collectible one, and a re-import finds it.
    }

    /// <summary>The assemblies the host provides (.NET's shared framework and PowerShell's own): simple name to file.</summary>
    static Dictionary<string, string> HostAssemblies()
    {
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        var host = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            host[Path.GetFileNameWithoutExtension(path)] = path;
        return host;
    }

    /// <summary>
    /// Which of <c>lib/</c>'s assemblies load into the module's own context: those the host does not provide at the
    /// same or a newer version (PowerShell 7.4 runs .NET 8, whose System.Text.Json is older than the module's).
    /// Public so a test can show the decision for the host it runs on.
    /// </summary>
    public static IReadOnlyList<string> IsolatedAssemblies()
    {
        if (!Directory.Exists(LibraryDirectory)) return Array.Empty<string>();
        var host = HostAssemblies();
        return Directory.GetFiles(LibraryDirectory, "*.dll")
            .Where(p => !(host.TryGetValue(Path.GetFileNameWithoutExtension(p), out var provided) && VersionOf(provided) >= VersionOf(p)))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    static Version VersionOf(string path)
    {
        try { return AssemblyName.GetAssemblyName(path).Version ?? new Version(0, 0); }
        catch (Exception) { return new Version(0, 0); }
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
        // A safety net: anything of lib/'s the context is asked for and did not load up front.
        var contextResolving = contextType.GetEvent("Resolving")!;
        contextResolving.AddEventHandler(context, Delegate.CreateDelegate(contextResolving.EventHandlerType!,
            typeof(ModuleLoader).GetMethod(nameof(ResolveInContext), BindingFlags.NonPublic | BindingFlags.Static)!));
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

    static Assembly? ResolveInContext(object context, AssemblyName name)
    {
        var path = PathFor(LibraryDirectory, name.Name);
        return path is null ? null : (Assembly?)context.GetType().GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!.Invoke(context, new object[] { path });
    }

    /// <summary>The default context asks for what the cmdlets reference: only the core is answered, from the module's context.</summary>
    static Assembly? ResolveCore(object context, AssemblyName name) =>
        string.Equals(name.Name, "EsUpgrade.Core", StringComparison.OrdinalIgnoreCase) ? core : null;

    /// <summary>
    /// Windows PowerShell: an assembly <c>lib/</c> holds, whatever version the module's own assemblies ask for. Other
    /// modules' requests are theirs to answer, unless they ask for no newer a version than ours (then ours serves).
    /// </summary>
    static Assembly? SideBySide(object? sender, ResolveEventArgs args)
    {
        try
        {
            var name = new AssemblyName(args.Name);
            var path = PathFor(LibraryDirectory, name.Name);
            if (path is null) return null;
            // The module's own: the cmdlets at its root, or the core and libraries in lib/.
            var requester = args.RequestingAssembly?.Location is { Length: > 0 } location ? Path.GetDirectoryName(location) : null;
            var ours = string.Equals(requester, LibraryDirectory, StringComparison.OrdinalIgnoreCase)
                       || string.Equals(requester, Path.GetDirectoryName(LibraryDirectory), StringComparison.OrdinalIgnoreCase);
            if (!ours && name.Version != null && name.Version > VersionOf(path)) return null;
            return Assembly.LoadFrom(path);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The file in <paramref name="directory"/> that answers a request for <paramref name="simpleName"/>, any version; null when there is none.</summary>
    public static string? PathFor(string directory, string? simpleName)
    {
        if (string.IsNullOrEmpty(simpleName) || simpleName!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
        var path = Path.Combine(directory, simpleName + ".dll");
        return File.Exists(path) ? path : null;
    }
}
