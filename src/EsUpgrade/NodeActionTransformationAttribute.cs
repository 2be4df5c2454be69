using System.Management.Automation;
using EsUpgrade.NodeActions;

namespace EsUpgrade.Commands;

/// <summary>Lets -NodeAction take what New-EsWindowsNodeAction returns, as well as a script block.</summary>
public sealed class NodeActionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject ps ? ps.BaseObject : inputData) is EsWindowsNodeAction action ? action.ScriptBlock : inputData;
}
