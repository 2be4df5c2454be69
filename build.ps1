#requires -Version 7.2
<#
.SYNOPSIS
The front door: Build, Test, Demo, Bench, Clean.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Soak', 'Package', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'EsUpgrade'
$ResultsDir = Join-Path $Out 'test-results'

# A fresh pwsh of the same version as this one (a loaded module DLL cannot be unloaded or rebuilt in-process).
function Invoke-FreshPwsh([string[]] $Arguments) {
    if ((Get-Process -Id $PID).Path -match 'dotnet(\.exe)?$') { & (Get-Process -Id $PID).Path "$PSHOME/pwsh.dll" -NoProfile -NonInteractive @Arguments }
    else { & (Get-Process -Id $PID).Path -NoProfile -NonInteractive @Arguments }
}

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-Build {
    $propsVersion = ([xml](Get-Content -Raw "$Root/Directory.Build.props")).Project.PropertyGroup.Version
    $manifestVersion = (Import-PowerShellDataFile "$Root/EsUpgrade.psd1").ModuleVersion
    if ($propsVersion -ne $manifestVersion) { throw "Version mismatch: Directory.Build.props says $propsVersion, EsUpgrade.psd1 says $manifestVersion." }

    Invoke-Native 'dotnet build' { dotnet build "$Root/EsUpgrade.sln" -c $Configuration --nologo -v quiet -clp:ErrorsOnly }

    # Lay out a loadable module folder: manifest, assemblies, views, help.
    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    Copy-Item "$Root/EsUpgrade.psd1" $ModuleOut
    # The cmdlets at the root; the core and its libraries in lib/, loaded apart from other modules' (ModuleLoader.cs).
    Copy-Item "$Root/src/EsUpgrade/bin/$Configuration/netstandard2.0/EsUpgrade.dll" $ModuleOut
    Copy-Item "$Root/src/EsUpgrade.Loader/bin/$Configuration/netstandard2.0/EsUpgrade.Loader.dll" $ModuleOut
    New-Item -ItemType Directory -Path "$ModuleOut/lib" | Out-Null
    Copy-Item "$Root/src/EsUpgrade/bin/$Configuration/netstandard2.0/*.dll" "$ModuleOut/lib" -Exclude 'EsUpgrade.dll'
    # The cmdlets reach the libraries only through the core: a direct reference would bind another module's copy.
    $references = [Reflection.AssemblyName[]][Reflection.Assembly]::LoadFile("$ModuleOut/EsUpgrade.dll").GetReferencedAssemblies() | ForEach-Object Name
    $unexpected = $references | Where-Object { $_ -notin 'netstandard', 'System.Management.Automation', 'EsUpgrade.Core' }
    if ($unexpected) { throw "EsUpgrade.dll references $($unexpected -join ', ') directly: reach them through EsUpgrade.Core." }
    Copy-Item "$Root/module/*" $ModuleOut -Recurse -Exclude 'help'
    New-Item -ItemType Directory -Path "$ModuleOut/en-US" | Out-Null
    Invoke-FreshPwsh @('-File', "$Root/module/help/New-MamlHelp.ps1", '-ModuleManifest', "$ModuleOut/EsUpgrade.psd1",
        '-HelpData', "$Root/module/help/EsUpgrade.help.psd1", '-OutFile', "$ModuleOut/en-US/EsUpgrade.dll-Help.xml")
    if ($LASTEXITCODE -ne 0) { throw 'Writing the help failed.' }
    Copy-Item "$Root/module/help/about_*.help.txt" "$ModuleOut/en-US"
    Write-Host "Module laid out in $ModuleOut"
}

function Get-PesterManifest {
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) { $packages = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $manifest)) { throw "Pester 5.7.1 is not restored at $manifest (dotnet restore brings it)." }
    $manifest
}

function Read-TrxCounts([string] $Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    Invoke-Build
    if (Test-Path $ResultsDir) { Remove-Item -Recurse -Force $ResultsDir }
    New-Item -ItemType Directory -Path $ResultsDir | Out-Null

    Write-Host "`n== xunit" -ForegroundColor Cyan
    dotnet test "$Root/EsUpgrade.sln" -c $Configuration --no-build --nologo --results-directory $ResultsDir --logger 'trx;LogFilePrefix=xunit' --logger 'console;verbosity=minimal'
    $xunit = Read-TrxCounts $ResultsDir
    if ($xunit.Passed + $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Host 'xunit ran no test.' -ForegroundColor Red }

    Write-Host "`n== Pester (fresh pwsh, built module)" -ForegroundColor Cyan
    $pesterJson = Join-Path $ResultsDir 'pester.json'
    Invoke-FreshPwsh @('-File', "$Root/tests/pester/Run-Pester.ps1",
        '-PesterManifest', (Get-PesterManifest), '-ModulePath', "$ModuleOut/EsUpgrade.psd1", '-ResultPath', $pesterJson)
    $pester = if (Test-Path $pesterJson) { Get-Content -Raw $pesterJson | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($pester.Passed + $pester.Failed -eq 0) { $pester.Failed = 1; Write-Host 'Pester ran no test.' -ForegroundColor Red }

    Write-Host ("`nxunit: {0} passed, {1} failed; Pester: {2} passed, {3} failed" -f $xunit.Passed, $xunit.Failed, $pester.Passed, $pester.Failed)
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-FreshPwsh @('-File', "$Root/tests/demo/Demo.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Bench {
    Invoke-Build
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-ImportTime.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-UpgradeOverhead.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-Assessment.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-Migration.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-ZoneUpgrade.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-ScaleSafety.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
    Invoke-FreshPwsh @('-File', "$Root/bench/Measure-Estimate.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1")
}

function Invoke-Soak {
    Invoke-Build
    Invoke-FreshPwsh @('-File', "$Root/tests/soak/Invoke-Soak.ps1", '-ModulePath', "$ModuleOut/EsUpgrade.psd1", '-ReportPath', "$Out/soak.md")
    if ($LASTEXITCODE -ne 0) { throw "A resume after a kill did not complete: see $Out/soak.md." }
}

function Invoke-Package {
    Invoke-Build
    # A versioned .nupkg of the built module, as a gallery serves it: Install-PSResource takes it from any folder repository.
    $packages = Join-Path $Out 'packages'
    if (Test-Path $packages) { Remove-Item -Recurse -Force $packages }
    New-Item -ItemType Directory -Path $packages | Out-Null
    Invoke-FreshPwsh @('-Command', "Compress-PSResource -Path '$ModuleOut' -DestinationPath '$packages'")
    if ($LASTEXITCODE -ne 0) { throw 'Packing the module failed.' }
    Get-ChildItem $packages -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-Clean {
    foreach ($dir in @($Out) + (Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]').FullName) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Soak' { Invoke-Soak }
    'Package' { Invoke-Package }
    'Clean' { Invoke-Clean }
}
