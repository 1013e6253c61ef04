using Xen.Abi;
using Xen.Nexus.Grants;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Init;

/// <summary>
/// <c>GNTTABOP_query_size</c> for the current and maximum frames, then adds the current ones (at least one) with
/// <c>XENMEM_add_to_physmap</c>; the table grows by further frames as grants need them, up to the maximum.
/// </summary>
public sealed class GrantTableStep : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "grant table";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        uint current, max;
        using (var arg = nexus.Hypercalls.Prepare<GnttabQuerySize>())
        {
            arg.Value.Dom = (ushort)XenH.DomidSelf;
            arg.Call(XenOperations.GnttabopQuerySize, 1);
            XenHypercalls.CheckGrantStatus(XenOperations.GnttabopQuerySize, arg.Value.Status);
            current = arg.Value.NrFrames;
            max = arg.Value.MaxNrFrames;
        }
        if (max == 0)
            throw new XenGrantStatusException(XenOperations.GnttabopQuerySize, GrantTableH.GntstGeneralError);
        var table = new Grants.GrantTable(nexus.Hypercalls, (int)max);
        try
        {
            for (var i = 0; i < Math.Max(1, (int)Math.Min(current, max)); i++)
                table.Grow();
        }
        catch
        {
            table.Dispose();
            nexus.RetainedFrames += table.RetainedFrames;
            throw;
        }
        nexus.GrantTable = table;
        nexus.GrantMapper = new GrantMapper(nexus.Hypercalls);
        nexus.Log($"{nexus.Options.DeviceName}: grant table frames allocated {table.FrameCount}/{max}, {table.FreeCount} free references");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        if (nexus.GrantTable is { } table)
        {
            table.Dispose();
            nexus.RetainedFrames += table.RetainedFrames;
        }
        nexus.GrantTable = null;
        nexus.GrantMapper = null;
    }
}
