# Connect-EsCluster, Get-EsConnection, Disconnect-EsCluster as a user calls them, against emulated clusters.
BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    Import-Module "$PSScriptRoot/EsEmulator.psm1"
    $script:password = 'Pa55-w0rd-that-must-not-leak'
    $script:old = Start-EsEmulator -Nodes 3 -Version 7.17.27 -Name old-cluster -User "elastic:$password"
    $script:new = Start-EsEmulator -Nodes 3 -Version 8.19.0 -Name new-cluster -User "elastic:$password" -Tls
    $script:cred = [pscredential]::new('elastic', (ConvertTo-SecureString $password -AsPlainText -Force))
    $script:wrong = [pscredential]::new('elastic', (ConvertTo-SecureString 'Wr0ng-guess-that-must-not-leak' -AsPlainText -Force))
}

AfterAll {
    Get-EsConnection | Disconnect-EsCluster -Confirm:$false
    $old, $new | Stop-EsEmulator
}

Describe 'Connect-EsCluster' {
    It 'connects to a 7.17 cluster, names the connection after the cluster and makes it current' {
        $c = Connect-EsCluster -Uri $old.Uris -Credential $cred -PassThru
        $c.Name | Should -Be 'old-cluster'
        $c.Version | Should -Be '7.17.27'
        $c.Authentication | Should -Be 'Basic (elastic)'
        (Get-EsConnection -Current).Name | Should -Be 'old-cluster'
    }

    It 'connects to an 8.x cluster over TLS pinned by fingerprint, side by side with the old one' {
        $c = Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -CertificateFingerprint $new.leafFingerprint -Name new -PassThru
        $c.Version | Should -Be '8.19.0'
        $c.CertificateValidation | Should -Be 'Fingerprint'
        (Get-EsConnection).Name | Should -Be @('new', 'old-cluster')
        (Get-EsConnection -Current).Name | Should -Be 'new'
        @(Get-EsConnection | Where-Object IsCurrent).Count | Should -Be 1
    }

    It 'trusts a CA file' {
        (Connect-EsCluster -Uri $new.Uris[1] -Credential $cred -CaCertificatePath $new.caCertificatePath -Name new-ca -PassThru).Version | Should -Be '8.19.0'
        Disconnect-EsCluster -Name new-ca
    }

    It 'skips the certificate check only when told, and warns' {
        $c = Connect-EsCluster -Uri $new.Uris[2] -Credential $cred -SkipCertificateCheck -Name new-skip -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $c.CertificateValidation | Should -Be 'Skip'
        $warnings | Should -Not -BeNullOrEmpty
        Disconnect-EsCluster -Name new-skip
    }

    It 'authenticates with an API key' {
        $key = Invoke-EsRequest -Connection (Get-EsConnection new) -Method POST -Path /_security/api_key -Body @{ name = 'pester' }
        $secure = ConvertTo-SecureString $key.encoded -AsPlainText -Force
        $c = Connect-EsCluster -Uri $new.Uris[0] -ApiKey $secure -CertificateFingerprint $new.leafFingerprint -Name by-key -PassThru
        $c.Authentication | Should -Be 'ApiKey'
        (Invoke-EsRequest -Connection $c -Path /_security/_authenticate).authentication_type | Should -Be 'api_key'
        Disconnect-EsCluster -Name by-key
    }
}

Describe 'Output chains back to its own cluster' {
    It 'runs on the cluster an object came from, not the current one' {
        Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -CertificateFingerprint $new.leafFingerprint -Name new
        (Get-EsConnection -Current).Name | Should -Be 'new'
        $nodes = Get-EsConnection old-cluster | Get-EsNode
        $nodes.VersionNumber | Sort-Object -Unique | Should -Be '7.17.27'
        ($nodes | Select-Object -First 1 | Get-EsCluster).Name | Should -Be 'old-cluster'
    }
}

Describe 'Bad input gives a clear error' {
    BeforeAll {
        Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -CertificateFingerprint $new.leafFingerprint -Name new
    }

    It 'an unreachable host: ClusterUnreachable, ConnectionError' {
        $closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        { Connect-EsCluster -Uri "http://127.0.0.1:$port" -Name nowhere } | Should -Throw -ErrorId 'ClusterUnreachable,EsUpgrade.Commands.ConnectEsClusterCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $Error[0].TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'a wrong password: AuthenticationFailed, and the password in no stream' {
        $failure = $null
        $out = & {
            try { Connect-EsCluster -Uri $old.Uris -Credential $wrong -Name wrong -Verbose -Debug }
            catch { $script:failure = $_; $_ }
        } *>&1 | Out-String
        $failure = @($script:failure)
        $failure[0].FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,EsUpgrade.Commands.ConnectEsClusterCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $all = $out + ($failure | ForEach-Object { $_.Exception.ToString() + $_.ScriptStackTrace } | Out-String)
        $all | Should -Not -BeLike '*Wr0ng-guess*'
        $all | Should -Not -BeLike "*$password*"
        $out | Should -BeLike '*Connecting to*' -Because 'the capture must include the verbose stream for the check to mean anything'
        $out | Should -BeLike '*HTTP 401*' -Because 'the capture must include the debug stream for the check to mean anything'
    }

    It 'no credentials on a secured cluster: AuthenticationFailed' {
        { Connect-EsCluster -Uri $old.Uris[0] -Name anonymous } | Should -Throw -ErrorId 'AuthenticationFailed,EsUpgrade.Commands.ConnectEsClusterCommand'
    }

    It 'a server that is not Elasticsearch: NotElasticsearch' {
        # The emulator's control port is a web server, but not Elasticsearch.
        { Connect-EsCluster -Uri $old.control -Name not-es } | Should -Throw -ErrorId 'NotElasticsearch,EsUpgrade.Commands.ConnectEsClusterCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidResult'
    }

    It 'an untrusted certificate: UntrustedCertificate, SecurityError' {
        { Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -Name untrusted } | Should -Throw -ErrorId 'UntrustedCertificate,EsUpgrade.Commands.ConnectEsClusterCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'SecurityError'
    }

    It 'a wrong fingerprint: UntrustedCertificate' {
        { Connect-EsCluster -Uri $new.Uris[0] -Credential $cred -CertificateFingerprint ('ab' * 32) -Name wrong-pin } | Should -Throw -ErrorId 'UntrustedCertificate,EsUpgrade.Commands.ConnectEsClusterCommand'
    }

    It 'a malformed URL: InvalidUri, InvalidArgument' {
        { Connect-EsCluster -Uri 'es01 port 9200' } | Should -Throw -ErrorId 'InvalidUri,EsUpgrade.Commands.ConnectEsClusterCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $Error[0].TargetObject | Should -Be 'es01 port 9200'
    }

    It 'a password in the URL is refused without echoing it' {
        { Connect-EsCluster -Uri "http://elastic:$password@127.0.0.1:9200" } | Should -Throw -ErrorId 'CredentialInUri,EsUpgrade.Commands.ConnectEsClusterCommand'
        ($Error[0] | Out-String) + $Error[0].TargetObject | Should -Not -BeLike "*$password*"
    }

    It 'a malformed fingerprint: InvalidCertificateFingerprint' {
        { Connect-EsCluster -Uri $new.Uris[0] -CertificateFingerprint 'xyz' } | Should -Throw -ErrorId 'InvalidCertificateFingerprint,EsUpgrade.Commands.ConnectEsClusterCommand'
    }

    It 'two ways of trusting at once: ConflictingCertificateOptions' {
        { Connect-EsCluster -Uri $new.Uris[0] -SkipCertificateCheck -CaCertificatePath $new.caCertificatePath } | Should -Throw -ErrorId 'ConflictingCertificateOptions,EsUpgrade.Commands.ConnectEsClusterCommand'
    }

    It 'a failed connect leaves the current connection as it was' {
        (Get-EsConnection -Current).Name | Should -Be 'new'
    }
}

Describe 'Disconnect-EsCluster' {
    It 'honours -WhatIf' {
        Disconnect-EsCluster -Name old-cluster -WhatIf
        Get-EsConnection old-cluster | Should -Not -BeNullOrEmpty
    }
    It 'objects from a closed connection say so' {
        $node = Get-EsConnection old-cluster | Get-EsNode | Select-Object -First 1
        Disconnect-EsCluster -Name old-cluster
        { $node | Get-EsCluster -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionClosed,EsUpgrade.Commands.GetEsClusterCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }
    It 'forgets the connection; cmdlets then say there is none' {
        Get-EsConnection -Current | Disconnect-EsCluster
        Get-EsConnection -Current | Should -BeNullOrEmpty
        { Get-EsCluster -ErrorAction Stop } | Should -Throw -ErrorId 'NoConnection,EsUpgrade.Commands.GetEsClusterCommand'
        { Disconnect-EsCluster -Name nothing-like-this -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionNotFound,EsUpgrade.Commands.DisconnectEsClusterCommand'
    }
}
