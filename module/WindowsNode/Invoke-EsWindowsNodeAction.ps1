<#
    The local side of New-EsWindowsNodeAction, run by Invoke-EsRollingUpgrade for each node: reaches the node's
    machine (a -Session, else a new PowerShell remoting session to its name; '.' runs it here), reads the node
    (EsWindowsNode.ps1, step Inspect), plans the switch (refused before any change when it is unsafe), copies the
    package there and runs step Upgrade. What the node side logs comes back as this action's output.
#>
param(
    [Parameter(Mandatory = $true)] $Node,
    [Parameter(Mandatory = $true)] [string] $TargetVersion,
    [Parameter(Mandatory = $true)] $Action
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$computer = $Action.ComputerFor($Node)
$session = $null
$opened = $false
if (-not $Action.IsLocal($computer)) {
    $session = $Action.SessionFor($computer)
    if (-not $session) {
        $options = @{ ComputerName = $computer; ErrorAction = 'Stop' }
        if ($Action.Credential) { $options.Credential = $Action.Credential }
        if ($Action.UseSSL) { $options.UseSSL = $true }
        Write-Verbose "[$($Node.Name)] opening a PowerShell remoting session to $computer"
        $session = New-PSSession @options
        $opened = $true
    }
}

# The action's own refusals (EsWindowsNodeAction's methods) end the action, whatever the caller's error preference.
function Invoke-ActionMethod([scriptblock] $Call) {
    try { & $Call }
    catch {
        if ($_.Exception.InnerException) { throw $_.Exception.InnerException }
        throw
    }
}

function Invoke-NodeStep([hashtable] $Request) {
    if ($session) { Invoke-Command -Session $session -FilePath $Action.NodeScript -ArgumentList $Request }
    else { & $Action.NodeScript -Request $Request }
}

try {
    # The package first: checked here (a URL's download brings its .sha512), so that the node checks it too.
    $local = Invoke-ActionMethod { $Action.LocalPackage() }
    $seen = Invoke-NodeStep @{ Step = 'Inspect'; ServiceName = $Action.ServiceName; InstallRoot = $Action.InstallRoot }
    $request = Invoke-ActionMethod { $Action.PlanUpgrade($Node.Name, $seen, $TargetVersion) }
    foreach ($warning in $request['Warnings']) { Write-Warning "[$($Node.Name)] $warning" }
    foreach ($note in $request['Notes']) { Write-Verbose "[$($Node.Name)] $note" }
    $request.Remove('Warnings'); $request.Remove('Notes')
    if (-not $request['StartOnly']) {
        if ($session) {
            $present = Invoke-Command -Session $session -ArgumentList $request['Package'], (Get-Item -LiteralPath $local).Length -ScriptBlock {
                param($path, $length)
                $folder = Split-Path -Parent $path
                if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }
                (Test-Path -LiteralPath $path) -and (Get-Item -LiteralPath $path).Length -eq $length
            }
            if (-not $present) {
                Write-Verbose "[$($Node.Name)] copying $local to $computer`:$($request['Package'])"
                Copy-Item -LiteralPath $local -Destination $request['Package'] -ToSession $session
            }
        }
        else { $request['Package'] = $local }
    }
    Invoke-NodeStep $request
}
finally {
    if ($opened) { Remove-PSSession $session }
}
