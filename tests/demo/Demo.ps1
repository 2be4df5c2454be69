# The README's demo: EsUpgrade talking to an emulated 3-node 7.17 cluster and a 3-node 8.x cluster.
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'Host'
Import-Module $ModulePath
Import-Module "$PSScriptRoot/../pester/EsEmulator.psm1"

function Step([string] $text) { Write-Host "`n>>> $text" -ForegroundColor Cyan }

$password = 'demo-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Step 'Starting two emulated clusters: prod-7 (3 nodes, 7.17.27, security on) and prod-8 (3 nodes, 8.19.0, security and TLS on)'
$old = Start-EsEmulator -Name prod-7 -Nodes 3 -Version 7.17.27 -User "elastic:$password" -Index 'logs-2026.11:3:1:250000', 'metrics:1:1:40000', 'orders:2:1:12000'
$new = Start-EsEmulator -Name prod-8 -Nodes 3 -Version 8.19.0 -User "elastic:$password" -Tls
try {
    $cred = [pscredential]::new('elastic', (ConvertTo-SecureString $password -AsPlainText -Force))

    Step "Connect-EsCluster -Uri $($old.Uris -join ', ') -Credential `$cred"
    Connect-EsCluster -Uri $old.Uris -Credential $cred
    Step "Connect-EsCluster -Uri $($new.Uris[0]) -Credential `$cred -CertificateFingerprint $($new.leafFingerprint.Substring(0, 16))..."
    Connect-EsCluster -Uri $new.Uris -Credential $cred -CertificateFingerprint $new.leafFingerprint
    Step 'Get-EsConnection'
    Get-EsConnection | Out-Host

    Step 'Get-EsConnection | Get-EsCluster'
    Get-EsConnection | Get-EsCluster | Out-Host

    Step 'Get-EsConnection prod-7 | Get-EsNode'
    Get-EsConnection prod-7 | Get-EsNode | Out-Host

    Step '(Get-EsClusterHealth -Level Indices -Connection (Get-EsConnection prod-7)).Indices'
    $c7 = Get-EsConnection prod-7
    (Get-EsClusterHealth -Level Indices -Connection $c7).Indices | Out-Host

    Step 'A node of prod-7 restarts (through the emulator''s control API): the cluster goes yellow while its shards recover'
    Invoke-EsEmulatorControl -Emulator $old -NodeName es-02 -Action stop | Out-Null
    Invoke-EsEmulatorControl -Emulator $old -NodeName es-02 -Action start | Out-Null
    Get-EsClusterHealth -Connection $c7 | Out-Host
    Step 'Wait-EsClusterHealth -Status Green -NoInitializingShards -NodeCount 3 -Timeout 120'
    Wait-EsClusterHealth -Connection $c7 -Status Green -NoInitializingShards -NodeCount 3 -Timeout 120 | Out-Host

    Step 'Invoke-EsRequest -Method PUT /_cluster/settings (allocation to primaries), then Get-EsClusterSetting cluster.routing.*'
    Invoke-EsRequest -Connection $c7 -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = 'primaries' } } | Out-Null
    Get-EsClusterSetting -Connection $c7 'cluster.routing.*' | Out-Host
    Invoke-EsRequest -Connection $c7 -Method PUT -Path /_cluster/settings -Body @{ persistent = @{ 'cluster.routing.allocation.enable' = $null } } | Out-Null
    Get-EsClusterSetting -Connection $c7 'cluster.routing.allocation.enable' -IncludeDefaults | Out-Host

    Step 'Invoke-EsRequest ''/_cat/nodes?v&h=name,version,node.role,master&format=txt'' on prod-8'
    Invoke-EsRequest -Path '/_cat/nodes?v&h=name,version,node.role,master&format=txt' | Out-Host

    Step 'Wrong password: a clear error, and the password is nowhere in it'
    try {
        Connect-EsCluster -Uri $old.Uris[0] -Credential ([pscredential]::new('elastic', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))) -Name bad
    } catch {
        Write-Host "$($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)]: $($_.Exception.Message)"
    }
    Step 'Untrusted certificate: refused unless a fingerprint, a CA file or -SkipCertificateCheck is given'
    try { Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -Name untrusted } catch {
        Write-Host "$($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)]: $($_.Exception.Message)"
    }
}
finally {
    Get-EsConnection | Disconnect-EsCluster
    $old, $new | Stop-EsEmulator
}

Step 'A rolling upgrade: a 9-node 7.17.27 cluster (3 masters; hot, warm and frozen data tiers) to 8.19.0'
$nine = Start-EsEmulator -Name prod -TimeScale 30 -BootSeconds 20 -Index 'logs-hot:3:1:400000::data_hot', 'logs-warm:2:1:900000::data_warm,data_hot', 'logs-frozen:1:1:2000000::data_frozen', 'orders:2:1:25000' -Node @(
    'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master',
    'hot-1=7.17.27:data_hot,data_content,ingest', 'hot-2=7.17.27:data_hot,data_content,ingest',
    'warm-1=7.17.27:data_warm', 'warm-2=7.17.27:data_warm', 'frozen-1=7.17.27:data_frozen', 'frozen-2=7.17.27:data_frozen')
try {
    Connect-EsCluster -Uri $nine.Uris

    Step 'Before: Get-EsNode, Get-EsIndex, where the shards are'
    Get-EsNode | Out-Host
    Get-EsIndex | Out-Host
    Get-EsShard | Group-Object Node | Sort-Object Name | ForEach-Object { '{0,-10} {1}' -f $_.Name, (($_.Group | ForEach-Object { "$($_.Index)[$($_.Shard)]$(if ($_.Primary) { 'p' } else { 'r' })" }) -join ' ') } | Out-Host
    $countBefore = (Invoke-EsRequest /_count).count

    Step '(New-EsUpgradePlan 8.19.0).Nodes'
    $plan = New-EsUpgradePlan 8.19.0
    $plan.Nodes | Out-Host

    Step 'Invoke-EsRollingUpgrade -TargetVersion 8.19.0 -StatePath ... -NodeAction { stop; install 8.19.0; start }  (emulated time runs 30x)'
    $state = Join-Path $nine.Directory 'upgrade-state.json'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $plan | Invoke-EsRollingUpgrade -StatePath $state -MlUpgradeMode -Confirm:$false -NodeAction {
        param($Node, $TargetVersion)
        # An admin would write: Invoke-Command -ComputerName $Node.Host { Stop-Service ...; unzip ...; Start-Service ... }
        Invoke-EsEmulatorControl -Emulator $nine -NodeName $Node.Name -Action stop | Out-Null
        Invoke-EsEmulatorControl -Emulator $nine -NodeName $Node.Name -Action start -Version $TargetVersion | Out-Null
    } | Out-Host
    Write-Host ("Upgraded in {0:N1} s (real time)." -f $watch.Elapsed.TotalSeconds)

    Step 'After: Get-EsCluster, Get-EsNode, document count'
    Get-EsCluster | Out-Host
    Get-EsNode | Out-Host
    $countAfter = (Invoke-EsRequest /_count).count
    Write-Host "Documents before: $countBefore; after: $countAfter" -ForegroundColor $(if ($countBefore -eq $countAfter) { 'Green' } else { 'Red' })
    Get-EsClusterSetting cluster.routing.allocation.enable -IncludeDefaults | Out-Host
}
finally {
    Get-EsConnection | Disconnect-EsCluster
    $nine | Stop-EsEmulator
}
Write-Host "`nDemo done." -ForegroundColor Green
