using System;
using System.Management.Automation;

namespace EsUpgrade.Commands;

/// <summary>
/// Lets -Timeout take seconds (<c>-Timeout 300</c>) as well as a TimeSpan or "hh:mm:ss":
/// PowerShell alone would read 300 as 300 ticks.
/// </summary>
public sealed class TimeoutTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            int i => TimeSpan.FromSeconds(i),
            long l => TimeSpan.FromSeconds(l),
            double d => TimeSpan.FromSeconds(d),
            _ => inputData,
        };
    }
}
