# Starts and drives the Elasticsearch emulator (tests/EsUpgrade.Emulator) as a separate process.
# Used by the Pester suite and by build.ps1's Demo. Not part of the EsUpgrade module.

$script:RepoRoot = (Resolve-Path "$PSScriptRoot/../..").Path

function Get-EsEmulatorPath {
    $dll = Get-ChildItem "$script:RepoRoot/tests/EsUpgrade.Emulator/bin/*/net10.0/EsUpgrade.Emulator.dll" -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw "The emulator is not built: run ./build.ps1 -Task Build first." }
    $dll.FullName
}

function Start-EsEmulator {
    <#
    .SYNOPSIS
    Starts an emulated cluster and returns its layout: nodes (name, version, uri), control uri, CA path and fingerprints.
    .EXAMPLE
    $es = Start-EsEmulator -Nodes 3 -Version 7.17.27 -Index 'logs:2:1:1000' -User 'elastic:changeme' -Tls
    #>
    [CmdletBinding()]
    param(
        [int] $Nodes = 3,
        [string] $Version = '7.17.27',
        [string[]] $Node,
        [string[]] $Index,
        [string[]] $User,
        # REPO:NAME:HOURS_AGO: a SUCCESS snapshot of every index.
        [string[]] $Snapshot,
        # NODE:FILE: a node's elasticsearch.yml.
        [string[]] $Yml,
        [switch] $Tls,
        # More emulator command-line arguments as they are (see EmulatorCommandLine).
        [string[]] $ExtraArguments,
        [string] $Name = 'emulated',
        [double] $TimeScale = 1,
        [int] $BootSeconds = 10,
        [TimeSpan] $StartTimeout = '00:00:30'
    )
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("esemu-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $dir | Out-Null
    $ready = Join-Path $dir 'ready.json'
    $arguments = @((Get-EsEmulatorPath), '--name', $Name, '--nodes', $Nodes, '--version', $Version,
        '--time-scale', $TimeScale.ToString([Globalization.CultureInfo]::InvariantCulture),
        '--ready-file', $ready, '--cert-dir', $dir)
    foreach ($n in $Node) { $arguments += @('--node', $n) }
    foreach ($i in $Index) { $arguments += @('--index', $i) }
    foreach ($u in $User) { $arguments += @('--user', $u) }
    foreach ($s in $Snapshot) { $arguments += @('--snapshot', $s) }
    foreach ($y in $Yml) { $arguments += @('--yml', $y) }
    if ($Tls) { $arguments += '--tls' }
    if ($ExtraArguments) { $arguments += $ExtraArguments }
    $arguments += @('--boot-seconds', $BootSeconds)
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -RedirectStandardOutput (Join-Path $dir 'out.log') -RedirectStandardError (Join-Path $dir 'err.log')
    # Wait for the ready file: the emulator writes it atomically once every node listens.
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $watcher = [IO.FileSystemWatcher]::new($dir, 'ready.json')
    try {
        while (-not (Test-Path $ready)) {
            if ($process.HasExited) { throw "The emulator exited at start: $(Get-Content -Raw (Join-Path $dir 'err.log'))" }
            if ($watch.Elapsed -gt $StartTimeout) { $process.Kill(); throw "The emulator did not start within $StartTimeout." }
            $null = $watcher.WaitForChanged([IO.WatcherChangeTypes]::All, 250)
        }
    } finally { $watcher.Dispose() }
    $layout = Get-Content -Raw $ready | ConvertFrom-Json
    $layout | Add-Member -NotePropertyName Process -NotePropertyValue $process
    $layout | Add-Member -NotePropertyName Directory -NotePropertyValue $dir
    $layout | Add-Member -NotePropertyName Uris -NotePropertyValue ([string[]]($layout.nodes.uri))
    $layout
}

function Stop-EsEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if (-not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $Emulator.Process.WaitForExit() }
        Remove-Item -Recurse -Force $Emulator.Directory -ErrorAction SilentlyContinue
    }
}

function Invoke-EsEmulatorControl {
    <#
    .SYNOPSIS
    Stops or starts a node through the emulator's control API (what an admin's node action would do to a machine).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $NodeName,
        [Parameter(Mandatory)] [ValidateSet('stop', 'start', 'crash')] [string] $Action,
        [string] $Version,
        # The node's new elasticsearch.yml.
        [string] $Config
    )
    $uri = "$($Emulator.control)/nodes/$NodeName/$Action"
    if ($Version) { $uri += "?version=$Version" }
    try {
        if ($Config) { Invoke-RestMethod -Method Post -Uri $uri -Body $Config -ContentType 'application/yaml' }
        else { Invoke-RestMethod -Method Post -Uri $uri }
    } catch {
        $detail = $_.ErrorDetails.Message | ConvertFrom-Json -ErrorAction SilentlyContinue
        if ($detail.error) { throw "Node $NodeName $($Action): $($detail.error)" }
        throw
    }
}

function New-EsEmulatorNodeAction {
    <#
    .SYNOPSIS
    What an admin's -NodeAction does to a machine, done to an emulated node: stop it, start it at the target version.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    {
        param($Node, $TargetVersion)
        Invoke-EsEmulatorControl -Emulator $Emulator -NodeName $Node.Name -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $Emulator -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
    }.GetNewClosure()
}

function Get-EsEmulatorNodeLog {
    <#
    .SYNOPSIS
    The lines a node logged (a refused start among them), as an admin's node action would read the node's log file.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $NodeName)
    Invoke-RestMethod "$($Emulator.control)/nodes/$NodeName/log"
}

function Add-EsEmulatorFault {
    <#
    .SYNOPSIS
    Switches a wire fault on (the emulator's POST /faults): Latency, Rejected, CircuitBreaking, ClusterEventTimeout,
    Unavailable, Reset, Truncated, BadGateway, Unauthorized or Garbage; for a node, method and path pattern; for a count
    of requests or emulated seconds. Returns the fault (its id, and later its hits from Get-EsEmulatorFault).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Kind,
        [string] $NodeName, [string] $Method, [string] $Path,
        [int] $Count, [double] $Seconds, [int] $LatencyMs, [int] $JitterMs, [int] $RetryAfter, [int] $Seed
    )
    $rule = @{ kind = $Kind }
    foreach ($p in @{ node = 'NodeName'; method = 'Method'; path = 'Path'; count = 'Count'; seconds = 'Seconds'; latencyMs = 'LatencyMs'; jitterMs = 'JitterMs'; retryAfter = 'RetryAfter'; seed = 'Seed' }.GetEnumerator()) {
        if ($PSBoundParameters.ContainsKey($p.Value)) { $rule[$p.Key] = $PSBoundParameters[$p.Value] }
    }
    Invoke-RestMethod -Method Post -Uri "$($Emulator.control)/faults" -Body ($rule | ConvertTo-Json) -ContentType 'application/json'
}

function Get-EsEmulatorFault {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    $faults = Invoke-RestMethod "$($Emulator.control)/faults"
    $faults   # one object per fault (Invoke-RestMethod writes a JSON array as one object)
}

function Clear-EsEmulatorFault {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Delete -Uri "$($Emulator.control)/faults" | Out-Null
}

function Get-PwshCommand {
    <#
    .SYNOPSIS
    What starts a fresh pwsh like this one: the executable, then the arguments that come before the script's own
    (pwsh.dll when this pwsh runs as a dotnet tool).
    #>
    $self = (Get-Process -Id $PID).Path
    if ($self -match 'dotnet(\.exe)?$') { @($self, "$PSHOME/pwsh.dll") } else { @($self) }
}

function Start-PwshScript {
    <#
    .SYNOPSIS
    Starts a script file in a separate pwsh, as a scheduled task or a runbook worker would; its output and errors go to
    <script>.out and <script>.err beside it. Returns the process (to kill, or to wait for).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $pwsh = Get-PwshCommand
    Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Path)) -PassThru `
        -RedirectStandardOutput ([IO.Path]::ChangeExtension($Path, '.out')) -RedirectStandardError ([IO.Path]::ChangeExtension($Path, '.err'))
}

function Start-EsUpgradeRunbook {
    <#
    .SYNOPSIS
    A runbook in a separate pwsh: Invoke-EsRollingUpgrade -StatePath against the emulator, each node stopped and started at
    the target through the control API, then -AfterAction (script text) inside the node action. Returns the process;
    its output and errors are run.out and run.err in the emulator's folder.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $StatePath,
        [string] $TargetVersion = '8.19.0',
        [switch] $MlUpgradeMode,
        [string] $AfterAction = ''
    )
    $runner = Join-Path $Emulator.Directory 'run.ps1'
    Set-Content $runner @"
Import-Module '$ModulePath'
Import-Module '$PSScriptRoot/EsEmulator.psm1'
`$es = Get-Content -Raw '$($Emulator.Directory)/ready.json' | ConvertFrom-Json
Connect-EsCluster -Uri `$es.nodes.uri
Invoke-EsRollingUpgrade -TargetVersion $TargetVersion -StatePath '$StatePath' -MlUpgradeMode:`$$([bool]$MlUpgradeMode) -Confirm:`$false -NodeAction {
    param(`$Node, `$TargetVersion)
    Invoke-EsEmulatorControl -Emulator `$es -NodeName `$Node.Name -Action stop | Out-Null
    Invoke-EsEmulatorControl -Emulator `$es -NodeName `$Node.Name -Action start -Version `$TargetVersion | Out-Null
    $AfterAction
}
"@
    Start-PwshScript $runner
}

Export-ModuleMember -Function Start-EsEmulator, Stop-EsEmulator, Invoke-EsEmulatorControl, New-EsEmulatorNodeAction, Get-EsEmulatorNodeLog, Get-EsEmulatorPath, Add-EsEmulatorFault, Get-EsEmulatorFault, Clear-EsEmulatorFault, Get-PwshCommand, Start-PwshScript, Start-EsUpgradeRunbook
