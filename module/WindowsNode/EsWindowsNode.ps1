<#
    The node side of New-EsWindowsNodeAction: sent over PowerShell remoting (or run here for '.'), so it needs
    nothing installed on the node and runs on Windows PowerShell 5.1 as on 7.x. Two steps, each one call:

    Inspect  reads the node: its service (home, account, start type), configuration folder, elasticsearch.yml,
             heap, installed plugins, JAVA_HOME. Changes nothing.
    Upgrade  does what the action planned from that (EsWindowsNodeAction.PlanUpgrade): verifies the package, expands
             it beside the old home, carries the configuration, reinstalls the plugins, then stops and removes the
             old service, installs the new one with the same account and start type, and starts it. If the new
             service cannot be installed or started, the old one is put back and started.

    The calls to the service manager and to Elasticsearch's .bat tools are the functions below whose names end in
    "Service" or "Tool": the tests replace them; the file work runs as it is. Every step is written to the output
    (the action's verbose lines) and to a log on the node.
#>
param(
    [Parameter(Mandatory = $true)] [hashtable] $Request
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

function Write-EsNodeLog {
    param([string] $Message)
    $line = '{0:yyyy-MM-ddTHH:mm:ss}Z {1}' -f [DateTime]::UtcNow, $Message
    if ($script:LogPath) { Add-Content -LiteralPath $script:LogPath -Value $line -Encoding UTF8 }
    $line
}

function Get-EsNodeService {
    # Win32_Service: the binary's path tells the home folder; StartName and StartMode are carried to the new service.
    param([string] $Name)
    $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name='{0}'" -f ($Name -replace "'", "''"))
    if (-not $service) { return $null }
    [pscustomobject]@{ PathName = $service.PathName; StartName = $service.StartName; StartMode = $service.StartMode; State = $service.State }
}

function Get-EsNodeServiceEnvironment {
    # What elasticsearch-service.bat stored for the service (procrun): ES_PATH_CONF among its environment, and the heap.
    param([string] $Name)
    $result = @{}
    foreach ($key in "HKLM:\SOFTWARE\Wow6432Node\Apache Software Foundation\Procrun 2.0\$Name\Parameters\Java", "HKLM:\SOFTWARE\Apache Software Foundation\Procrun 2.0\$Name\Parameters\Java") {
        if (Test-Path -LiteralPath $key) {
            $java = Get-ItemProperty -LiteralPath $key
            foreach ($p in 'JvmMs', 'JvmMx', 'Options') { if ($java.PSObject.Properties[$p]) { $result[$p] = $java.$p } }
            if ($result['Options']) { $result['Options'] = @($result['Options']) }
            break
        }
    }
    $serviceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\$Name"
    if (Test-Path -LiteralPath $serviceKey) {
        $environment = (Get-ItemProperty -LiteralPath $serviceKey).PSObject.Properties['Environment']
        if ($environment) { $result['Environment'] = @($environment.Value) }
    }
    $result
}

function Stop-EsNodeService {
    param([string] $Name, [int] $TimeoutSeconds)
    Stop-Service -Name $Name -NoWait
    (Get-Service -Name $Name).WaitForStatus('Stopped', [TimeSpan]::FromSeconds($TimeoutSeconds))
}

function Start-EsNodeService {
    param([string] $Name)
    Start-Service -Name $Name
}

function Set-EsNodeServiceAccount {
    # The account is set through the service manager, not elasticsearch-service.bat: 8.x's installer wants a password
    # for every account and logs its procrun command line, password included; the service manager takes a built-in,
    # virtual or managed account without one.
    param([string] $Name, [string] $Account, [pscredential] $Credential)
    $password = if ($Credential) { $Credential.GetNetworkCredential().Password } else { $null }
    $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name='{0}'" -f ($Name -replace "'", "''"))
    $result = Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{ StartName = $Account; StartPassword = $password }
    if ($result.ReturnValue -ne 0) { throw "The service manager refused the account $Account for $Name (Win32_Service.Change returned $($result.ReturnValue))." }
}

function Invoke-EsNodeTool {
    # A .bat of Elasticsearch run by cmd.exe, its command line passed as it is (no PowerShell quoting rules), with the
    # environment given; returns its exit code and output lines. What it writes to stderr is output, not an error.
    param([string] $Path, [string[]] $Arguments, [hashtable] $Environment)
    $info = New-Object System.Diagnostics.ProcessStartInfo
    $info.FileName = Join-Path $env:SystemRoot 'System32\cmd.exe'
    $quoted = @($Arguments | ForEach-Object { if ($_ -match '[\s()&^]') { '"' + $_ + '"' } else { $_ } })
    $info.Arguments = '/d /c ""' + $Path + '" ' + ($quoted -join ' ') + '"'
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $info.EnvironmentVariables.Remove($name) } else { $info.EnvironmentVariables[$name] = [string]$Environment[$name] }
    }
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    $lines = @(($stdout.Result + $stderr.Result) -split '\r?\n' | Where-Object { $_ })
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $lines }
}

function Get-EsShortPath {
    # elasticsearch-service.bat breaks on spaces and parentheses in its own path (es#89510): its 8.3 short form has neither.
    param([string] $Path)
    if ($Path -notmatch '[\s()]') { return $Path }
    $short = $null
    try { $short = (New-Object -ComObject Scripting.FileSystemObject).GetFolder($Path).ShortPath } catch { }
    if (-not $short -or $short -match '[\s()]') {
        throw "The path '$Path' has spaces or parentheses, which Elasticsearch's .bat tools cannot take, and it has no 8.3 short name (fsutil 8dot3name): install under a path without them (-InstallRoot)."
    }
    $short
}

function Read-EsProperties {
    param([string] $Path)
    $values = @{}
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^\s*([^#=\s][^=]*?)\s*=\s*(.*)$') { $values[$Matches[1]] = $Matches[2] }
    }
    $values
}

function Get-EsNodeInspection {
    param([hashtable] $Request)
    # A note of the old service, kept before it is removed: a run that stopped between removing it and installing the
    # new one finds the node through it.
    $record = Join-Path $Request.InstallRoot "esupgrade-$($Request.ServiceName).service.json"
    $service = Get-EsNodeService -Name $Request.ServiceName
    $missing = $false
    if ($service) {
        $environment = Get-EsNodeServiceEnvironment -Name $Request.ServiceName
    }
    elseif (Test-Path -LiteralPath $record) {
        $kept = Get-Content -Raw -LiteralPath $record | ConvertFrom-Json
        $service = $kept.Service
        $environment = @{ Options = @($kept.Options); Environment = @($kept.Environment); JvmMs = $kept.JvmMs; JvmMx = $kept.JvmMx }
        $missing = $true
    }
    else { throw "There is no service '$($Request.ServiceName)' on $env:COMPUTERNAME: give -ServiceName as services.msc names it." }
    # "C:\...\elasticsearch-7.17.9\bin\elasticsearch-service-x64.exe" //RS//name
    $exe = if ($service.PathName -match '^"([^"]+)"') { $Matches[1] } else { ($service.PathName -split '\s+')[0] }
    $home_ = Split-Path -Parent (Split-Path -Parent $exe)
    # The configuration folder: -Des.path.conf among the JVM options elasticsearch-service.bat gave procrun, else
    # ES_PATH_CONF in the service's environment, else config\ of the home.
    $configDir = Join-Path $home_ 'config'
    foreach ($entry in @($environment['Environment'])) {
        if ("$entry" -match '^ES_PATH_CONF=(.+)$') { $configDir = $Matches[1].Trim('"') }
    }
    foreach ($entry in @($environment['Options'])) {
        foreach ($option in "$entry" -split '[;#\r\n]') {
            if ($option -match '^-Des\.path\.conf=(.+)$') { $configDir = $Matches[1].Trim('"') }
        }
    }
    $marker = Join-Path $home_ '.esupgrade-expanded'
    $expanded = if (Test-Path -LiteralPath $marker) { (Get-Content -LiteralPath $marker | Select-Object -First 1).Trim() } else { '' }
    if (-not $missing -and -not $expanded) {
        if (-not (Test-Path -LiteralPath $Request.InstallRoot)) { New-Item -ItemType Directory -Path $Request.InstallRoot | Out-Null }
        @{ Service = $service; Options = @($environment['Options']); Environment = @($environment['Environment']); JvmMs = $environment['JvmMs']; JvmMx = $environment['JvmMx'] } |
            ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $record -Encoding UTF8
    }
    $yml = Join-Path $configDir 'elasticsearch.yml'
    $plugins = @()
    $pluginsDir = Join-Path $home_ 'plugins'
    if (Test-Path -LiteralPath $pluginsDir) {
        foreach ($dir in Get-ChildItem -LiteralPath $pluginsDir -Directory) {
            $descriptor = Join-Path $dir.FullName 'plugin-descriptor.properties'
            if (Test-Path -LiteralPath $descriptor) {
                $p = Read-EsProperties $descriptor
                $plugins += ('{0}={1}' -f $(if ($p['name']) { $p['name'] } else { $dir.Name }), $p['version'])
            }
        }
    }
    $jvmOptions = Join-Path $configDir 'jvm.options'
    @{
        Computer        = $env:COMPUTERNAME
        Home            = $home_
        ExpandedVersion = $expanded
        ServiceMissing  = $missing
        ConfigDir       = $configDir
        ConfigInHome    = $configDir.TrimEnd('\', '/').StartsWith($home_.TrimEnd('\', '/') + [IO.Path]::DirectorySeparatorChar, [StringComparison]::OrdinalIgnoreCase) -or $configDir -eq (Join-Path $home_ 'config')
        Yaml            = $(if (Test-Path -LiteralPath $yml) { [IO.File]::ReadAllText($yml) } else { '' })
        JvmOptions      = $(if (Test-Path -LiteralPath $jvmOptions) { [IO.File]::ReadAllText($jvmOptions) } else { '' })
        JvmOptionsD     = @($(if (Test-Path -LiteralPath (Join-Path $configDir 'jvm.options.d')) { Get-ChildItem -LiteralPath (Join-Path $configDir 'jvm.options.d') -File | ForEach-Object { $_.Name } }))
        ServiceHeap     = @($environment['JvmMs'], $environment['JvmMx'])
        Plugins         = $plugins
        Account         = $service.StartName
        StartMode       = $service.StartMode
        JavaHome        = [Environment]::GetEnvironmentVariable('JAVA_HOME', 'Machine')
        EsJavaHome      = [Environment]::GetEnvironmentVariable('ES_JAVA_HOME', 'Machine')
        Keystore        = (Test-Path -LiteralPath (Join-Path $configDir 'elasticsearch.keystore'))
    }
}

function Test-EsPackage {
    param([string] $Path, [string] $Sha512)
    if (-not (Test-Path -LiteralPath $Path)) { throw "The package '$Path' is not on $env:COMPUTERNAME." }
    if (-not $Sha512) { return 'not checked (no .sha512 given)' }
    $actual = (Get-FileHash -LiteralPath $Path -Algorithm SHA512).Hash
    if ($actual -ne $Sha512) { throw "The package '$Path' has SHA-512 $actual, not $Sha512 as its .sha512 file says: it is damaged or not the release. Nothing was changed." }
    'SHA-512 matches'
}

function Copy-EsConfiguration {
    # From the old config folder to the new one: everything but the 7.x jvm.options and logging (the new defaults are
    # kept), elasticsearch.yml as planned (converted, paths pinned), the heap in jvm.options.d.
    param([hashtable] $Request)
    $from = $Request.OldConfigDir
    $to = $Request.ConfigDir
    if ($Request.CarryConfig) {
        foreach ($item in Get-ChildItem -LiteralPath $from -Force) {
            if ($item.Name -in 'jvm.options', 'elasticsearch.yml' -or $item.Name -like 'log4j2*.properties') { continue }
            Copy-Item -LiteralPath $item.FullName -Destination $to -Recurse -Force
            Write-EsNodeLog "carried config\$($item.Name)"
        }
    }
    else {
        # The configuration stays where it is (an MSI install, ES_PATH_CONF): the 7.x jvm.options is put aside for the
        # new version's, whose flags JDK 17+ accepts.
        $old = Join-Path $to 'jvm.options'
        if ((Test-Path -LiteralPath $old) -and -not (Test-Path -LiteralPath "$old.7x")) { Move-Item -LiteralPath $old -Destination "$old.7x" }
        Copy-Item -LiteralPath (Join-Path (Join-Path $Request.NewHome 'config') 'jvm.options') -Destination $old -Force
        Write-EsNodeLog "jvm.options of $($Request.TargetVersion) in place; the 7.x one kept as jvm.options.7x"
        $yml = Join-Path $to 'elasticsearch.yml'
        if (-not (Test-Path -LiteralPath "$yml.7x")) { Copy-Item -LiteralPath $yml -Destination "$yml.7x" }
    }
    [IO.File]::WriteAllText((Join-Path $to 'elasticsearch.yml'), $Request.Yaml)
    Write-EsNodeLog 'elasticsearch.yml written'
    if ($Request.HeapOptions) {
        $dir = Join-Path $to 'jvm.options.d'
        if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir | Out-Null }
        [IO.File]::WriteAllText((Join-Path $dir 'heap.options'), $Request.HeapOptions)
        Write-EsNodeLog "heap in jvm.options.d\heap.options: $($Request.HeapOptions -replace '\r?\n', ' ')"
    }
}

function Invoke-EsNodeToolChecked {
    param([string] $Path, [string[]] $Arguments, [hashtable] $Environment, [string] $What)
    $result = Invoke-EsNodeTool -Path $Path -Arguments $Arguments -Environment $Environment
    foreach ($line in $result.Output) { Write-EsNodeLog "  $line" }
    if ($result.ExitCode -ne 0) { throw "$What failed (exit code $($result.ExitCode)): $(@($result.Output)[-1])" }
}

function Invoke-EsNodeUpgrade {
    param([hashtable] $Request)
    $toolEnvironment = @{ ES_PATH_CONF = $Request.ConfigDir; JAVA_HOME = $null; ES_JAVA_HOME = $Request.EsJavaHome }
    if ($Request.StartOnly) {
        Write-EsNodeLog "the service $($Request.ServiceName) already runs $($Request.NewHome): starting it"
        Start-EsNodeService -Name $Request.ServiceName
        return
    }
    Write-EsNodeLog "package: $(Test-EsPackage -Path $Request.Package -Sha512 $Request.Sha512)"
    $marker = Join-Path $Request.NewHome '.esupgrade-expanded'
    if (-not (Test-Path -LiteralPath $marker)) {
        $staging = "$($Request.NewHome).partial"
        if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
        Expand-Archive -LiteralPath $Request.Package -DestinationPath $staging
        # The zip holds one folder, elasticsearch-<version>.
        $inner = @(Get-ChildItem -LiteralPath $staging -Directory)
        if ($inner.Count -ne 1) { throw "The package '$($Request.Package)' does not hold one elasticsearch-<version> folder." }
        if (Test-Path -LiteralPath $Request.NewHome) { Remove-Item -LiteralPath $Request.NewHome -Recurse -Force }
        Move-Item -LiteralPath $inner[0].FullName -Destination $Request.NewHome
        Remove-Item -LiteralPath $staging -Recurse -Force
        Set-Content -LiteralPath $marker -Value $Request.TargetVersion
        Write-EsNodeLog "expanded into $($Request.NewHome) (the old home $($Request.OldHome) is kept for rollback)"
    }
    Copy-EsConfiguration $Request
    $bin = Join-Path (Get-EsShortPath $Request.NewHome) 'bin'
    if ($Request.Keystore) {
        # A configuration left where it is serves the old version again on a rollback: its keystore is kept as it was.
        $keystore = Join-Path $Request.ConfigDir 'elasticsearch.keystore'
        if (-not $Request.CarryConfig -and -not (Test-Path -LiteralPath "$keystore.7x")) { Copy-Item -LiteralPath $keystore -Destination "$keystore.7x" }
        Invoke-EsNodeToolChecked -Path (Join-Path $bin 'elasticsearch-keystore.bat') -Arguments @('upgrade') -Environment $toolEnvironment -What 'elasticsearch-keystore upgrade'
        Write-EsNodeLog 'keystore upgraded'
    }
    foreach ($plugin in @($Request.Plugins)) {
        if (-not $plugin) { continue }
        $name = ($plugin -split '\|')[0]; $source = ($plugin -split '\|')[1]
        if (Test-Path -LiteralPath (Join-Path (Join-Path $Request.NewHome 'plugins') $name)) { Write-EsNodeLog "plugin $name already installed"; continue }
        Invoke-EsNodeToolChecked -Path (Join-Path $bin 'elasticsearch-plugin.bat') -Arguments @('install', '--batch', $source) -Environment $toolEnvironment -What "elasticsearch-plugin install $name"
        Write-EsNodeLog "plugin $name installed from $source"
    }

    $oldService = Join-Path (Join-Path (Get-EsShortPath $Request.OldHome) 'bin') 'elasticsearch-service.bat'
    if ($Request.ServiceMissing) {
        Write-EsNodeLog "the old service was removed by a run that stopped before installing the new one"
    }
    else {
        Write-EsNodeLog "stopping $($Request.ServiceName)"
        Stop-EsNodeService -Name $Request.ServiceName -TimeoutSeconds $Request.StopTimeoutSeconds
        Write-EsNodeLog 'stopped'
        Invoke-EsNodeToolChecked -Path $oldService -Arguments @('remove', $Request.ServiceName) -Environment $toolEnvironment -What 'removing the old service'
    }
    $install = $toolEnvironment.Clone()
    $install['ES_START_TYPE'] = $Request.StartType
    # The old service's account, set through the service manager: LocalSystem by default; a built-in, virtual or
    # managed account by name; any other with its password.
    $account = if ($Request.ServiceCredential) { $Request.ServiceCredential.UserName } elseif ($Request.ServiceAccount) { $Request.ServiceAccount } else { 'LocalSystem' }
    try {
        Invoke-EsNodeToolChecked -Path (Join-Path $bin 'elasticsearch-service.bat') -Arguments @('install', $Request.ServiceName) -Environment $install -What "installing the $($Request.TargetVersion) service"
        if ($account -ne 'LocalSystem') { Set-EsNodeServiceAccount -Name $Request.ServiceName -Account $account -Credential $Request.ServiceCredential }
        Write-EsNodeLog "service $($Request.ServiceName) installed from $($Request.NewHome), start type $($Request.StartType), account $account"
        Start-EsNodeService -Name $Request.ServiceName
        Write-EsNodeLog "started $($Request.ServiceName) at $($Request.TargetVersion)"
    }
    catch {
        $why = $_.Exception.Message
        Write-EsNodeLog "FAILED: $why - putting the old service back"
        try {
            $null = Invoke-EsNodeTool -Path (Join-Path $bin 'elasticsearch-service.bat') -Arguments @('remove', $Request.ServiceName) -Environment $toolEnvironment
            if (-not $Request.CarryConfig) {
                # The configuration both versions use goes back to what the old version had.
                foreach ($file in 'jvm.options', 'elasticsearch.yml', 'elasticsearch.keystore') {
                    $kept = Join-Path $Request.ConfigDir "$file.7x"
                    if (Test-Path -LiteralPath $kept) { Copy-Item -LiteralPath $kept -Destination (Join-Path $Request.ConfigDir $file) -Force }
                }
            }
            $old = $toolEnvironment.Clone(); $old['ES_PATH_CONF'] = $Request.OldConfigDir; $old['ES_START_TYPE'] = $Request.StartType
            Invoke-EsNodeToolChecked -Path $oldService -Arguments @('install', $Request.ServiceName) -Environment $old -What 'reinstalling the old service'
            if ($account -ne 'LocalSystem') { Set-EsNodeServiceAccount -Name $Request.ServiceName -Account $account -Credential $Request.ServiceCredential }
            Start-EsNodeService -Name $Request.ServiceName
            Write-EsNodeLog "the old service runs again from $($Request.OldHome)"
        }
        catch { Write-EsNodeLog "the old service could not be put back: $($_.Exception.Message)" }
        throw "The $($Request.TargetVersion) service on $env:COMPUTERNAME could not be installed or started: $why (log: $script:LogPath)"
    }
}

$script:LogPath = $Request['LogPath']
if ($script:LogPath) {
    $logDir = Split-Path -Parent $script:LogPath
    if ($logDir -and -not (Test-Path -LiteralPath $logDir)) { New-Item -ItemType Directory -Path $logDir | Out-Null }
}
switch ($Request.Step) {
    'Inspect' { Get-EsNodeInspection $Request }
    'Upgrade' { Invoke-EsNodeUpgrade $Request }
    default { throw "Unknown step '$($Request.Step)'." }
}
