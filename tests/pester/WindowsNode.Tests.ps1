# New-EsWindowsNodeAction as an admin uses it. Windows services, .bat tools and remoting cannot run here: the calls to
# the service manager and the tools (the node script's *Service and *Tool functions, and Get-EsShortPath) are replaced
# by fakes that act on the emulator (stop, start at the version the new service's home holds, with the carried
# elasticsearch.yml); everything else — the package, expanding it, carrying config, keystore, certificates, plugins,
# the planning and the refusals — runs for real on a fake Elasticsearch folder layout, under a path with spaces and
# parentheses. Remoting itself is not run: the action is pointed at '.' (this machine).
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:target = '8.19.0'

    # A zip install of 7.17 as found on a Windows node, and Elastic's 8.x package with its .sha512.
    function New-FakeNode {
        param([string] $Root, [string] $Yaml, [string] $Account = 'NT SERVICE\elasticsearch', [switch] $Msi)
        $old = Join-Path $Root 'elasticsearch-7.17.27'
        $config = if ($Msi) { Join-Path $Root 'ProgramData/config' } else { Join-Path $old 'config' }
        foreach ($dir in "$old/bin", "$config/jvm.options.d", "$config/certs", "$old/plugins/analysis-icu", "$old/plugins/repository-s3", "$old/data/nodes/0") {
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
        }
        Set-Content "$old/bin/elasticsearch-service.bat" '@echo 7.17'
        Set-Content "$config/elasticsearch.yml" $Yaml
        Set-Content "$config/jvm.options" "## JVM configuration`n-Xms2g`n-Xmx2g`n8-13:-XX:+UseConcMarkSweepGC"
        Set-Content "$config/jvm.options.d/gc.options" '-Xlog:gc*:file=gc.log'
        Set-Content "$config/log4j2.properties" 'status = error # 7.17'
        Set-Content "$config/elasticsearch.keystore" 'keystore-bytes'
        Set-Content "$config/certs/http.p12" 'certificate-bytes'
        Set-Content "$config/users" 'admin:$2a$10$hash'
        Set-Content "$old/plugins/analysis-icu/plugin-descriptor.properties" "name=analysis-icu`nversion=7.17.27"
        Set-Content "$old/plugins/repository-s3/plugin-descriptor.properties" "name=repository-s3`nversion=7.17.27"
        $global:EsWinFake = @{
            Home = $old; Account = $Account; Removed = $false; Calls = [System.Collections.Generic.List[object]]::new(); FailInstall = $false
            Environment = $(if ($Msi) { @{ Environment = @("ES_PATH_CONF=$config") } } else { @{} })
            Emulator = $es; Node = 'es-01'
        }
        $old
    }

    function New-FakePackage {
        param([string] $Folder)
        $build = Join-Path $Folder 'build/elasticsearch-8.19.0'
        foreach ($dir in "$build/bin", "$build/config/jvm.options.d", "$build/modules/repository-s3") { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
        foreach ($bat in 'elasticsearch-service.bat', 'elasticsearch-plugin.bat', 'elasticsearch-keystore.bat') { Set-Content "$build/bin/$bat" '@echo 8.19' }
        Set-Content "$build/config/elasticsearch.yml" '# the 8.19 default'
        Set-Content "$build/config/jvm.options" "## JVM configuration of 8.19`n-XX:+UseG1GC"
        Set-Content "$build/config/log4j2.properties" 'status = error # 8.19'
        $zip = Join-Path $Folder 'elasticsearch-8.19.0-windows-x86_64.zip'
        # Elastic's zip holds the version's folder itself.
        Compress-Archive -Path $build -DestinationPath $zip
        Remove-Item (Join-Path $Folder 'build') -Recurse
        Set-Content "$zip.sha512" ('{0}  elasticsearch-8.19.0-windows-x86_64.zip' -f (Get-FileHash $zip -Algorithm SHA512).Hash.ToLowerInvariant())
        $zip
    }

    # The Windows side, faked: what the service manager and the .bat tools would do, done to the emulator.
    function global:Get-FakeEsNodeService {
        param([string] $Name)
        if ($global:EsWinFake.Removed) { return $null }
        [pscustomobject]@{ PathName = ('"{0}/bin/elasticsearch-service-x64.exe" //RS//{1}' -f $global:EsWinFake.Home, $Name); StartName = $global:EsWinFake.Account; StartMode = 'Auto'; State = 'Running' }
    }
    function global:Get-FakeEsNodeServiceEnvironment { param([string] $Name) $global:EsWinFake.Environment }
    function global:Stop-FakeEsNodeService {
        param([string] $Name, [int] $TimeoutSeconds)
        $global:EsWinFake.Calls.Add("stop $Name")
        Invoke-EsEmulatorControl -Emulator $global:EsWinFake.Emulator -NodeName $global:EsWinFake.Node -Action stop | Out-Null
    }
    function global:Start-FakeEsNodeService {
        param([string] $Name)
        $global:EsWinFake.Calls.Add("start $Name")
        # The service starts the version its home holds, with the elasticsearch.yml it finds there.
        $version = if ($global:EsWinFake.Home -match 'elasticsearch-(\d+\.\d+\.\d+)$') { $Matches[1] }
        $yml = Join-Path $global:EsWinFake.ConfigDir 'elasticsearch.yml'
        Invoke-EsEmulatorControl -Emulator $global:EsWinFake.Emulator -NodeName $global:EsWinFake.Node -Action start -Version $version -Config (Get-Content -Raw $yml) | Out-Null
    }
    function global:Set-FakeEsNodeServiceAccount {
        param([string] $Name, [string] $Account, [pscredential] $Credential)
        $global:EsWinFake.Calls.Add("account $Name $Account$(if ($Credential) { ' with its password' })")
    }
    function global:Get-FakeEsShortPath { param([string] $Path) $Path -replace 'Program Files \(x86\)', 'PROGRA~2' }
    function global:Invoke-FakeEsNodeTool {
        param([string] $Path, [string[]] $Arguments, [hashtable] $Environment)
        $global:EsWinFake.Calls.Add([pscustomobject]@{ Tool = Split-Path -Leaf $Path; Path = $Path; Arguments = $Arguments; Environment = $Environment.Clone() })
        $home_ = (Split-Path (Split-Path $Path)) -replace 'PROGRA~2', 'Program Files (x86)'
        if ((Split-Path -Leaf $Path) -eq 'elasticsearch-service.bat' -and $Arguments[0] -eq 'remove') { $global:EsWinFake.Removed = $true }
        if ((Split-Path -Leaf $Path) -eq 'elasticsearch-service.bat' -and $Arguments[0] -eq 'install') {
            if ($global:EsWinFake.FailInstall -and $home_ -match '8\.19\.0') { return [pscustomobject]@{ ExitCode = 1; Output = @("'C:\Program' is not recognized", "ERROR: Failed installing '$($Arguments[1])' service") } }
            $global:EsWinFake.Home = $home_
            $global:EsWinFake.ConfigDir = $Environment.ES_PATH_CONF
            $global:EsWinFake.Removed = $false
        }
        [pscustomobject]@{ ExitCode = 0; Output = @("$(Split-Path -Leaf $Path) $($Arguments -join ' '): done") }
    }
    foreach ($name in 'Get-EsNodeService', 'Get-EsNodeServiceEnvironment', 'Stop-EsNodeService', 'Start-EsNodeService', 'Set-EsNodeServiceAccount', 'Get-EsShortPath', 'Invoke-EsNodeTool') {
        Set-Alias -Scope Global -Name $name -Value ($name -replace '^(\w+)-Es', '$1-FakeEs')
    }
    function Get-ToolCalls { $global:EsWinFake.Calls | Where-Object { $_ -isnot [string] } }
}

AfterAll {
    foreach ($name in 'Get-EsNodeService', 'Get-EsNodeServiceEnvironment', 'Stop-EsNodeService', 'Start-EsNodeService', 'Set-EsNodeServiceAccount', 'Get-EsShortPath', 'Invoke-EsNodeTool') {
        Remove-Item "alias:$name" -ErrorAction SilentlyContinue
    }
    Remove-Variable -Scope Global EsWinFake -ErrorAction SilentlyContinue
}

Describe 'New-EsWindowsNodeAction' {
    BeforeEach {
        $script:es = Start-EsEmulator -Nodes 3 -TimeScale 60 -Index 'logs:2:1:1000'
        Connect-EsCluster -Uri $es.Uris
        $script:root = Join-Path $TestDrive "Program Files (x86)/Elastic $(Get-Random)"
        $script:package = New-FakePackage (Join-Path $TestDrive "packages $(Get-Random)")
    }
    AfterEach {
        Get-EsConnection | Disconnect-EsCluster
        if ($es) { $es | Stop-EsEmulator; $script:es = $null }
    }

    It 'upgrades a zip-installed node under a path with spaces and parentheses: config, keystore, plugins and service carried' {
        $old = New-FakeNode -Root $root -Yaml "cluster.name: emulated`nnode.name: es-01`nnode.master: true`nnode.data: true`nxpack.security.enabled: false"
        $script:action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ '*' = '.' } -ConvertConfiguration
        $action.TargetVersion | Should -Be $target
        $action.Sha512 | Should -Be (Get-FileHash $package -Algorithm SHA512).Hash
        # es-01 by the Windows action; the others restarted by the emulator, as in the other tests.
        $results = Invoke-EsRollingUpgrade $target -Confirm:$false -Verbose -NodeAction {
            param($Node, $TargetVersion)
            if ($Node.Name -eq 'es-01') { & $action.ScriptBlock $Node $TargetVersion }
            else { & (New-EsEmulatorNodeAction $es) $Node $TargetVersion }
        } 4>&1
        $nodes = $results | Where-Object { $_ -is [EsUpgrade.Upgrade.NodeUpgradeResult] }
        ($nodes | Where-Object Node -EQ 'es-01').Status | Should -Be 'Upgraded'
        (Get-EsNode es-01).VersionNumber | Should -Be $target
        "$($results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match '\[es-01\] -NodeAction: .*started elasticsearch-service-x64 at 8\.19\.0'

        $new = Join-Path $root 'elasticsearch-8.19.0'
        $yml = Get-Content -Raw "$new/config/elasticsearch.yml"
        $yml | Should -Match 'node\.roles'                                  # converted: 8.x refuses node.master
        $yml | Should -Match ([regex]::Escape("path.data: '$old/data'"))     # pinned where the data is
        $yml | Should -Match ([regex]::Escape("path.logs: '$old/logs'"))
        Get-Content -Raw "$new/config/jvm.options" | Should -Match 'of 8\.19'              # the 8.x default, not the 7.x CMS flags
        Get-Content -Raw "$new/config/log4j2.properties" | Should -Match '8\.19'
        Get-Content "$new/config/jvm.options.d/heap.options" | Should -Be @('-Xms2g', '-Xmx2g')
        Get-Content "$new/config/jvm.options.d/gc.options" | Should -Be '-Xlog:gc*:file=gc.log'
        foreach ($carried in 'elasticsearch.keystore', 'certs/http.p12', 'users') { Test-Path "$new/config/$carried" | Should -BeTrue -Because "$carried is carried" }
        Test-Path "$old/data/nodes/0" | Should -BeTrue -Because 'the old home, with the data, is kept'

        $tools = Get-ToolCalls
        ($tools | ForEach-Object { "$($_.Tool) $($_.Arguments -join ' ')" }) | Should -Be @(
            'elasticsearch-keystore.bat upgrade'
            'elasticsearch-plugin.bat install --batch analysis-icu'          # repository-s3 is a module in 8.x
            'elasticsearch-service.bat remove elasticsearch-service-x64'
            'elasticsearch-service.bat install elasticsearch-service-x64')
        $install = $tools[-1]
        $install.Path | Should -Match 'PROGRA~2' -Because 'the .bat cannot take spaces or parentheses in its own path'
        $install.Environment.ES_START_TYPE | Should -Be 'auto'
        $install.Environment.ContainsKey('SERVICE_USERNAME') | Should -BeFalse -Because 'the account is set through the service manager, with no password on a command line'
        $install.Environment.ES_PATH_CONF | Should -Be "$new/config"
        $install.Environment.ContainsKey('JAVA_HOME') -and -not $install.Environment.JAVA_HOME | Should -BeTrue -Because 'JAVA_HOME is cleared, the bundled JDK used'
        $tools[2].Path | Should -Match 'elasticsearch-7\.17\.27'
        $global:EsWinFake.Calls | Where-Object { $_ -is [string] } | Should -Be @('stop elasticsearch-service-x64', 'account elasticsearch-service-x64 NT SERVICE\elasticsearch', 'start elasticsearch-service-x64')
        $log = Get-Content -Raw (Join-Path $root 'esupgrade-elasticsearch-service-x64.log')
        foreach ($step in 'SHA-512 matches', 'expanded into', 'carried config.elasticsearch.keystore', 'plugin analysis-icu installed', 'stopped', 'installed from', 'started') { $log | Should -Match $step }
    }

    It 'puts the old service back and stops the run when the new service cannot be installed' {
        $old = New-FakeNode -Root $root -Yaml "cluster.name: emulated`nxpack.security.enabled: false"
        $global:EsWinFake.FailInstall = $true
        $action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ 'es-01' = '.' }
        $node = (New-EsUpgradePlan $target).Nodes | Where-Object Name -EQ 'es-01'
        { & $action.ScriptBlock $node $target } | Should -Throw '*8.19.0 service on * could not be installed or started: installing the 8.19.0 service failed (exit code 1): ERROR: Failed installing*'
        ((Get-ToolCalls)[-1].Arguments -join ' ') | Should -Be 'install elasticsearch-service-x64'
        (Get-ToolCalls)[-1].Path | Should -Match 'elasticsearch-7\.17\.27'
        $global:EsWinFake.Home | Should -Be $old
        (Wait-EsNode es-01 -Timeout 60).VersionNumber | Should -Be '7.17.27' -Because 'the old service runs again'
    }

    It 'refuses a node whose security setting is not explicit, before touching it' {
        New-FakeNode -Root $root -Yaml "cluster.name: emulated`nnode.name: es-01" | Out-Null
        $action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ '*' = '.' }
        $failure = { Invoke-EsRollingUpgrade $target -NodeAction $action -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'RollingUpgradeFailed,*'
        $failure.Exception.Message | Should -Match 'Node es-0\d was not touched: elasticsearch.yml has what stops an 8.x node from starting: xpack.security.enabled \(SecurityNotExplicit\)'
        $global:EsWinFake.Calls | Should -BeNullOrEmpty
        Test-Path (Join-Path $root 'elasticsearch-8.19.0') | Should -BeFalse
        Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults -Scope Persistent | Should -BeNullOrEmpty
    }

    It 'moves an MSI install to the zip layout, its configuration kept in ProgramData' {
        New-FakeNode -Root $root -Msi -Account 'LocalSystem' -Yaml "cluster.name: emulated`npath.data: $root/ProgramData/data`npath.logs: $root/ProgramData/logs`nxpack.security.enabled: false" | Out-Null
        $config = Join-Path $root 'ProgramData/config'
        $action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ 'es-01' = '.' }
        $node = (New-EsUpgradePlan $target).Nodes | Where-Object Name -EQ 'es-01'
        & $action.ScriptBlock $node $target | Out-Null
        (Wait-EsNode es-01 -Version $target -Timeout 60).VersionNumber | Should -Be $target
        Get-Content -Raw "$config/jvm.options" | Should -Match 'of 8\.19'
        Get-Content -Raw "$config/jvm.options.7x" | Should -Match 'UseConcMarkSweepGC'
        Test-Path "$config/elasticsearch.yml.7x" | Should -BeTrue
        $install = (Get-ToolCalls)[-1]
        $install.Environment.ES_PATH_CONF | Should -Be $config
        $global:EsWinFake.Calls | Where-Object { $_ -like 'account *' } | Should -BeNullOrEmpty -Because 'LocalSystem is the default account'
    }

    It 'resumed after the switch, only starts the service' {
        New-FakeNode -Root $root -Yaml "cluster.name: emulated`nxpack.security.enabled: false" | Out-Null
        $action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ '*' = '.' }
        $node = (New-EsUpgradePlan $target).Nodes | Where-Object Name -EQ 'es-01'
        & $action.ScriptBlock $node $target | Out-Null
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-01 -Action stop | Out-Null
        $global:EsWinFake.Calls.Clear()
        & $action.ScriptBlock $node $target | Should -Match 'already runs .*elasticsearch-8\.19\.0: starting it'
        $global:EsWinFake.Calls | Should -Be @('start elasticsearch-service-x64')
    }

    It 'resumes a node whose old service a stopped run had removed, from the note it kept' {
        New-FakeNode -Root $root -Yaml "cluster.name: emulated`nxpack.security.enabled: false" | Out-Null
        $action = New-EsWindowsNodeAction $package -InstallRoot $root -ComputerName @{ '*' = '.' }
        $node = (New-EsUpgradePlan $target).Nodes | Where-Object Name -EQ 'es-01'
        # The first run read the node (keeping its note), stopped it and removed its service, then died.
        $global:EsWinFake.FailInstall = $true
        { & $action.ScriptBlock $node $target } | Should -Throw
        Invoke-EsEmulatorControl -Emulator $es -NodeName es-01 -Action stop | Out-Null
        $global:EsWinFake.Removed = $true
        $global:EsWinFake.FailInstall = $false
        $global:EsWinFake.Calls.Clear()

        "$(& $action.ScriptBlock $node $target)" | Should -Match 'removed by a run that stopped before installing the new one'
        # Nothing to stop or remove: straight to installing the new service.
        (Get-ToolCalls | Where-Object Tool -EQ 'elasticsearch-service.bat' | ForEach-Object { $_.Arguments -join ' ' }) | Should -Be @('install elasticsearch-service-x64')
        $global:EsWinFake.Calls | Where-Object { $_ -like 'stop *' } | Should -BeNullOrEmpty
        (Wait-EsNode es-01 -Version $target -Timeout 60).VersionNumber | Should -Be $target
    }

    It 'refuses a package that is not Elastic''s, a damaged one and a relative install root' {
        $bad = Join-Path $TestDrive 'elasticsearch-7.16.2.msi'
        Set-Content $bad 'x'
        { New-EsWindowsNodeAction $bad -InstallRoot C:\Elastic -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPackage,EsUpgrade.Commands.NewEsWindowsNodeActionCommand'
        Add-Content $package 'tampered'
        $damaged = { New-EsWindowsNodeAction $package -InstallRoot C:\Elastic -ErrorAction Stop } | Should -Throw -PassThru
        $damaged.Exception.Message | Should -Match 'not .* as its .sha512 file says: it is damaged'
        { New-EsWindowsNodeAction $package -Sha512 ('0' * 128) -InstallRoot 'Elastic' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidInstallRoot,EsUpgrade.Commands.NewEsWindowsNodeActionCommand'
    }
}
