# The module's dependencies live apart from other modules' (an Azure Automation session holds Az and friends with
# their own copies): assemblies of the same names and other versions, loaded before or after EsUpgrade, change
# nothing for either side. Each order runs in a fresh pwsh, as a runbook would.
BeforeAll {
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("isolation-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $work | Out-Null
    # Other modules' copies: same names, other versions, a type of their own that their owners call. Compiled with
    # the Roslyn that Add-Type brings (Add-Type itself would give the assembly a random name).
    Add-Type -TypeDefinition 'public static class IsolationTestsRoslynWarmUp {}'
    $framework = Split-Path ([object].Assembly.Location)
    $references = [Microsoft.CodeAnalysis.MetadataReference[]]@(foreach ($f in 'System.Private.CoreLib.dll', 'System.Runtime.dll') {
        [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path $framework $f)) })
    foreach ($fake in @(@{ Name = 'YamlDotNet'; Version = '1.2.3.0' }, @{ Name = 'Elastic.Transport'; Version = '0.9.0.0' })) {
        $tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText(@"
[assembly: System.Reflection.AssemblyVersion("$($fake.Version)")]
namespace $($fake.Name) { public static class OtherModules { public static string Owner() { return "another module's $($fake.Name) $($fake.Version)"; } } }
"@)
        $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create($fake.Name, [Microsoft.CodeAnalysis.SyntaxTree[]]@($tree), $references,
            [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
        $file = [IO.File]::Create((Join-Path $work "$($fake.Name).dll"))
        try { $emitted = $compilation.Emit($file) } finally { $file.Dispose() }
        if (-not $emitted.Success) { throw "The fake $($fake.Name) did not compile: $($emitted.Diagnostics -join '; ')" }
    }
    Set-Content (Join-Path $work 'legacy.yml') "cluster.name: prod`ndiscovery.zen.minimum_master_nodes: 2`n"
    $script:pwsh = Get-PwshCommand

    # A fresh pwsh runs the script; its last line of output is JSON.
    function Invoke-Fresh([string] $Script) {
        $file = Join-Path $work ("run-" + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content $file $Script
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh failed: $($output -join "`n")" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Assembly isolation' {
    BeforeEach {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:2:1:3000'
        $script:run = @"
`$ErrorActionPreference = 'Stop'
`$es = Get-Content -Raw '$($es.Directory)/ready.json' | ConvertFrom-Json
function Use-OtherModules {
    Add-Type -Path '$work/YamlDotNet.dll'
    Add-Type -Path '$work/Elastic.Transport.dll'
    [YamlDotNet.OtherModules]::Owner(), [Elastic.Transport.OtherModules]::Owner()
}
function Use-EsUpgrade {
    Import-Module '$env:ESUPGRADE_MODULE'
    Import-Module '$PSScriptRoot/EsEmulator.psm1'
    Connect-EsCluster -Uri `$es.nodes.uri
    `$findings = @(Test-EsNodeConfiguration '$work/legacy.yml')
    `$results = @(Invoke-EsRollingUpgrade -TargetVersion 8.19.0 -Confirm:`$false -NodeAction {
        param(`$Node, `$TargetVersion)
        Invoke-EsEmulatorControl -Emulator `$es -NodeName `$Node.Name -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator `$es -NodeName `$Node.Name -Action start -Version `$TargetVersion | Out-Null
    })
    @{ Findings = `$findings.Setting; Upgraded = @(`$results | Where-Object Status -EQ Upgraded).Count; Versions = @((Get-EsNode).VersionNumber | Sort-Object -Unique) }
}
function Loaded([string] `$Name) {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq `$Name } | ForEach-Object {
        '{0} {1} in {2}' -f `$_.GetName().Name, `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name })
}
"@
    }
    AfterEach {
        $es | Stop-EsEmulator
    }

    It 'other versions of YamlDotNet and Elastic.Transport loaded first, then EsUpgrade: a rolling upgrade and a config lint run, and the others still answer' {
        $result = Invoke-Fresh ($run + @'
$before = Use-OtherModules
$ours = Use-EsUpgrade
@{ Before = $before; Ours = $ours; After = @([YamlDotNet.OtherModules]::Owner()); Yaml = Loaded 'YamlDotNet'; Transport = Loaded 'Elastic.Transport' } | ConvertTo-Json -Depth 5 -Compress
'@)
        $result.Before | Should -Be @("another module's YamlDotNet 1.2.3.0", "another module's Elastic.Transport 0.9.0.0")
        $result.Ours.Upgraded | Should -Be 3
        $result.Ours.Versions | Should -Be '8.19.0'
        $result.Ours.Findings | Should -Contain 'discovery.zen.minimum_master_nodes'
        $result.After | Should -Be "another module's YamlDotNet 1.2.3.0"
        $result.Yaml | Should -Contain 'YamlDotNet 1.2.3.0 in Default'
        $result.Yaml | Should -Contain 'YamlDotNet 18.0.0.0 in EsUpgrade'
        $result.Transport | Should -Contain 'Elastic.Transport 0.9.0.0 in Default'
        $result.Transport | Should -Contain 'Elastic.Transport 1.0.0.0 in EsUpgrade'
    }

    It 'EsUpgrade first, then the other versions: both sides keep working' {
        $result = Invoke-Fresh ($run + @"
`$ours = Use-EsUpgrade
`$others = Use-OtherModules
`$again = @(Test-EsNodeConfiguration '$work/legacy.yml').Setting
@{ Ours = `$ours; Others = `$others; Again = `$again; Yaml = Loaded 'YamlDotNet' } | ConvertTo-Json -Depth 5 -Compress
"@)
        $result.Ours.Upgraded | Should -Be 3
        $result.Ours.Versions | Should -Be '8.19.0'
        $result.Others | Should -Be @("another module's YamlDotNet 1.2.3.0", "another module's Elastic.Transport 0.9.0.0")
        $result.Again | Should -Contain 'discovery.zen.minimum_master_nodes'
        $result.Yaml | Should -Contain 'YamlDotNet 1.2.3.0 in Default'
        $result.Yaml | Should -Contain 'YamlDotNet 18.0.0.0 in EsUpgrade'
    }

    It 'lib/ holds every dependency; what the host provides is the host''s, the rest load in the module''s own context' {
        $result = Invoke-Fresh @"
Import-Module '$env:ESUPGRADE_MODULE'
`$lib = Join-Path (Split-Path '$env:ESUPGRADE_MODULE') lib
@{ Lib = @(Get-ChildItem `$lib -Filter *.dll | ForEach-Object BaseName); Isolated = @([EsUpgrade.Loader.ModuleLoader]::IsolatedAssemblies() | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension(`$_) });
   Root = @(Get-ChildItem (Split-Path '$env:ESUPGRADE_MODULE') -Filter *.dll | ForEach-Object BaseName) } | ConvertTo-Json -Compress
"@
        $result.Root | Should -Be @('EsUpgrade', 'EsUpgrade.Loader')
        $result.Isolated | Should -Be @('Elastic.Transport', 'EsUpgrade.Core', 'YamlDotNet')
        $result.Lib | Should -Contain 'System.Text.Json'
    }

    It 'Windows PowerShell''s rule: a request for any version of an assembly lib/ holds is answered with lib/''s copy' {
        $lib = Join-Path (Split-Path $env:ESUPGRADE_MODULE) lib
        Import-Module $env:ESUPGRADE_MODULE
        [EsUpgrade.Loader.ModuleLoader]::PathFor($lib, 'System.Memory') | Should -Be (Join-Path $lib 'System.Memory.dll')
        [EsUpgrade.Loader.ModuleLoader]::PathFor($lib, 'System.Runtime.CompilerServices.Unsafe') | Should -Be (Join-Path $lib 'System.Runtime.CompilerServices.Unsafe.dll')
        [EsUpgrade.Loader.ModuleLoader]::PathFor($lib, 'Newtonsoft.Json') | Should -BeNullOrEmpty
        New-Item -ItemType File (Join-Path (Split-Path $lib) 'evil.dll') -Force | Out-Null
        [EsUpgrade.Loader.ModuleLoader]::PathFor($lib, '../evil') | Should -BeNullOrEmpty -Because 'a name is a file name, never a path out of lib/'
        Remove-Item (Join-Path (Split-Path $lib) 'evil.dll')
    }
}
