# Every exported cmdlet follows the module's conventions (platyPS-style convention tests).
BeforeDiscovery {
    Import-Module $env:ESUPGRADE_MODULE
    $script:commands = Get-Command -Module EsUpgrade | ForEach-Object { @{ Name = $_.Name; Command = $_ } }
}

BeforeAll {
    Import-Module $env:ESUPGRADE_MODULE
    # Verbs that change a cluster or the session's state; Get/Wait/Test/Connect read or only add a connection.
    $script:stateChanging = 'Set', 'New', 'Remove', 'Invoke', 'Enable', 'Disable', 'Start', 'Stop', 'Restart', 'Restore', 'Update', 'Disconnect', 'Clear', 'Reset'
}

Describe 'The module' {
    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile $env:ESUPGRADE_MODULE
        (Get-Command -Module EsUpgrade).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
    }
}

Describe '<Name>' -ForEach $commands {
    It 'uses an approved verb and the Es noun prefix' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
        $Command.Noun | Should -Match '^Es[A-Z]'
    }
    It 'declares its output type' {
        $Command.OutputType | Should -Not -BeNullOrEmpty
    }
    It 'has a format view for each of its own output types' {
        $format = [xml](Get-Content (Join-Path (Split-Path $env:ESUPGRADE_MODULE) 'EsUpgrade.Format.ps1xml') -Raw)
        $viewed = $format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName
        foreach ($type in $Command.OutputType.Type | Where-Object { $_.Namespace -like 'EsUpgrade*' }) {
            $viewed | Should -Contain $type.FullName -Because "$($type.FullName) is written by $Name"
        }
    }
    It 'has help with a synopsis, every parameter described, and at least two examples' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -Match "^\s*$Name"
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.Examples.Example) {
            $code = ($example.Code -split "`n" | Where-Object { $_ -notmatch '^\s*(PS>|#)' }) -join "`n"
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "the example '$code' must parse"
        }
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $hidden = $Command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow } } | ForEach-Object Name
        foreach ($p in $Command.Parameters.Keys | Where-Object { $common -notcontains $_ -and $hidden -notcontains $_ }) {
            ($help.Parameters.Parameter | Where-Object Name -EQ $p).Description.Text | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }
    It 'supports ShouldProcess if it changes state' {
        # New-EsUpgradePlan computes a plan and New-EsWindowsNodeAction an action to run later; they change nothing.
        if ($stateChanging -contains $Command.Verb -and $Name -notin 'New-EsUpgradePlan', 'New-EsWindowsNodeAction') {
            $Command.Parameters.Keys | Should -Contain 'WhatIf'
            $Command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }
    It 'takes -Connection from the pipeline by property name when it works on a cluster' {
        if ($Command.Parameters.ContainsKey('Connection')) {
            $attr = $Command.Parameters['Connection'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $attr.ValueFromPipelineByPropertyName | Should -Contain $true
        }
    }
}

Describe 'Help' {
    It 'SYNTAX shows -WhatIf and -Confirm where a cmdlet takes them' {
        $syntax = Get-Help Invoke-EsFlush | Out-String -Width 200
        $syntax | Should -Match '\[-WhatIf\]'
        $syntax | Should -Match '\[-Confirm\]'
    }
    It 'INPUTS names what binds from the pipeline' {
        $inputs = (Get-Help Get-EsShard -Full).inputTypes.inputType.description.Text -join ' '
        $inputs | Should -Match '-Index: any object with a property named Index, Name'
        $inputs | Should -Match '-Connection: a EsConnection object'
    }
    It 'RELATED LINKS connect the cmdlets of one task and the about topic' {
        $links = (Get-Help Invoke-EsRollingUpgrade -Full).relatedLinks.navigationLink.linkText
        $links | Should -Contain 'New-EsUpgradePlan'
        $links | Should -Contain 'about_EsUpgrade'
    }
    It 'about_EsUpgrade walks the whole upgrade' {
        $about = Get-Help about_EsUpgrade | Out-String
        foreach ($word in 'CONNECT', 'PLAN', 'BACK UP', 'UPGRADE', 'RUNBOOKS', 'PROVE') { $about | Should -Match $word }
    }
    It 'every sample in examples/ parses and calls only commands that exist (EsUpgrade''s, PowerShell''s, Windows'' scheduled tasks, Azure Automation''s)' {
        $samples = Get-ChildItem "$PSScriptRoot/../../examples" -Recurse -Filter *.ps1
        $samples | Should -Not -BeNullOrEmpty
        $windowsOnly = 'New-ScheduledTaskAction', 'New-ScheduledTaskTrigger', 'New-ScheduledTaskSettingsSet', 'Register-ScheduledTask', 'Get-AutomationPSCredential', 'Start-AzAutomationRunbook'
        foreach ($sample in $samples) {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($sample.FullName, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because $sample.Name
            $called = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -match '^\w+-\w+$' } | Sort-Object -Unique
            foreach ($command in $called | Where-Object { $_ -notin $windowsOnly }) {
                Get-Command $command -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$($sample.Name) calls $command"
            }
        }
    }
}

