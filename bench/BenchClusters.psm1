# The clusters the benchmarks share, so each measures the same shape.

function New-NineNodeBenchCluster {
    # 3 masters; hot, warm and frozen tiers of 2 nodes each; indices in every tier.
    param([string] $Name = 'bench', [double] $TimeScale = 4, [int] $BootSeconds = 20)
    Start-EsEmulator -Name $Name -TimeScale $TimeScale -BootSeconds $BootSeconds -Index @(
        'logs-hot:3:1:400000::data_hot', 'logs-warm:2:1:900000::data_warm,data_hot', 'logs-frozen:1:1:2000000::data_frozen', 'orders:2:1:25000') -Node @(
        'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master',
        'hot-1=7.17.27:data_hot,data_content,ingest', 'hot-2=7.17.27:data_hot,data_content,ingest',
        'warm-1=7.17.27:data_warm', 'warm-2=7.17.27:data_warm', 'frozen-1=7.17.27:data_frozen', 'frozen-2=7.17.27:data_frozen')
}

Export-ModuleMember -Function New-NineNodeBenchCluster
