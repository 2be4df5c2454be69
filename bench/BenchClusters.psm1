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

function New-ZonedBenchCluster {
    # 3 masters; 3 zones of 4 data nodes (node.attr.zone), shard allocation awareness on zone with forced values.
    param([string] $Name = 'zoned', [double] $TimeScale = 4, [int] $BootSeconds = 20)
    $nodes = 'master-1=7.17.27:master', 'master-2=7.17.27:master', 'master-3=7.17.27:master'
    foreach ($zone in 'a', 'b', 'c') { foreach ($i in 1..4) { $nodes += "data-$zone$i=7.17.27:data,data_content,data_hot,ingest@zone=$zone" } }
    Start-EsEmulator -Name $Name -TimeScale $TimeScale -BootSeconds $BootSeconds -Node $nodes -Index 'logs:12:1:600000', 'metrics:6:2:120000', 'orders:3:1:25000' `
        -ExtraArguments '--setting', 'cluster.routing.allocation.awareness.attributes=zone', '--setting', 'cluster.routing.allocation.awareness.force.zone.values=a,b,c'
}

Export-ModuleMember -Function New-NineNodeBenchCluster, New-ZonedBenchCluster
