# Installed like any gallery module: the built module packed as a .nupkg, a folder registered as a repository,
# Install-PSResource into a fresh user's module path, then a new process imports it by name and talks to a cluster.
BeforeAll {
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("packaging-" + [guid]::NewGuid().ToString('N'))
    # .NET gives a user folder only when it exists: without them PSResourceGet would keep its store in the current folder.
    New-Item -ItemType Directory "$work/repository", "$work/home/.local/share", "$work/home/.config" | Out-Null
    $script:version = (Import-PowerShellDataFile $env:ESUPGRADE_MODULE).ModuleVersion
    # What build.ps1 -Task Package does.
    Compress-PSResource -Path (Split-Path $env:ESUPGRADE_MODULE) -DestinationPath "$work/repository"
    $script:es = Start-EsEmulator -Name packaged -Nodes 1 -Version 8.19.0
    $script:pwsh = Get-PwshCommand

    # A fresh pwsh as a user whose home is empty: no module, no repository registered; its last line of output is JSON.
    function Invoke-AsNewUser([string] $Script) {
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; PSModulePath = $env:PSModulePath }
        try {
            $env:HOME = "$work/home"
            $env:XDG_DATA_HOME = "$work/home/.local/share"
            $env:XDG_CONFIG_HOME = "$work/home/.config"
            $env:PSModulePath = $null
            $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Script 2>&1
        } finally {
            foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] }
        }
        if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh failed: $($output -join "`n")" }
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll {
    $es | Stop-EsEmulator
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Install-PSResource from a folder repository' -Skip:($IsWindows) {
    It 'packs a versioned .nupkg of the built module' {
        (Get-ChildItem "$work/repository" -Filter *.nupkg).Name | Should -Be "EsUpgrade.$version.nupkg"
    }

    It 'installs into a fresh user''s module path; a new process imports it by name and reads the cluster' {
        $installed = Invoke-AsNewUser @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name esupgrade-local -Uri '$work/repository' -Trusted
Install-PSResource EsUpgrade -Repository esupgrade-local -TrustRepository -Scope CurrentUser -Quiet
@{ Path = (Get-Module -ListAvailable EsUpgrade).Path; Version = "`$((Get-Module -ListAvailable EsUpgrade).Version)" } | ConvertTo-Json -Compress
"@
        $installed.Path | Should -BeLike "$work/home/*/EsUpgrade/$version/EsUpgrade.psd1"
        $installed.Version | Should -Be $version

        $used = Invoke-AsNewUser @"
`$ErrorActionPreference = 'Stop'
Import-Module EsUpgrade
Connect-EsCluster -Uri '$($es.Uris[0])' -Name packaged
`$cluster = Get-EsCluster
@{ Module = (Get-Module EsUpgrade).Path; Cluster = `$cluster.Name; Versions = "`$(`$cluster.MaximumVersion)" } | ConvertTo-Json -Compress
"@
        Split-Path $used.Module | Should -Be (Split-Path $installed.Path)
        $used.Cluster | Should -Be 'packaged'
        $used.Versions | Should -Be '8.19.0'
    }
}
