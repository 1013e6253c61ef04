using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The grant table's frames, as GrantTableStep: <c>GNTTABOP_query_size</c> for the current and maximum frame
/// counts, then each current frame (at least one) added at a boot page with <c>XENMEM_add_to_physmap</c>.
/// </summary>
public static unsafe class GrantTable
{
    /// <summary>The most frames the kernel maps (its boot pages are few); the table is not grown past them.</summary>
    public const uint FrameLimit = 4;

    /// <summary>sizeof(grant_entry_v1_t): the test holds it to Xen.Abi's.</summary>
    public const uint EntrySize = 8;

    /// <summary>struct gnttab_query_size (grant_table.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct GnttabQuerySize
    {
        [FieldOffset(0)] public ushort Dom;
        [FieldOffset(4)] public uint NrFrames;
        [FieldOffset(8)] public uint MaxNrFrames;
        [FieldOffset(12)] public short Status;
    }

    /// <summary>The first frame, once mapped; 0 before.</summary>
    public static ulong FirstFrame { get; private set; }

    public static bool Attach()
    {
        GnttabQuerySize query;
        query.Dom = (ushort)XenNumbers.DomidSelf;
        query.NrFrames = 0;
        query.MaxNrFrames = 0;
        query.Status = 0;
        if (Hypercalls.Failed("GNTTABOP_query_size", Hypercalls.Call(XenNumbers.HypervisorGrantTableOp, XenNumbers.GnttabopQuerySize, (ulong)&query, 1)))
            return false;
        if (query.Status != (short)XenNumbers.GntstOkay || query.MaxNrFrames == 0)
        {
            Log.Write("xen0: GNTTABOP_query_size: status ");
            Log.WriteDecimal((uint)-query.Status);
            Log.Write(", max frames ");
            Log.WriteDecimal(query.MaxNrFrames);
            Log.Write('\n');
            return false;
        }
        var frames = query.NrFrames < 1 ? 1 : query.NrFrames;
        if (frames > query.MaxNrFrames) frames = query.MaxNrFrames;
        if (frames > FrameLimit) frames = FrameLimit;
        for (uint i = 0; i < frames; i++)
        {
            var page = BootPages.Allocate();
            if (!SharedInfo.AddToPhysmap(XenNumbers.XenmapspaceGrantTable, i, page / BootPages.PageSize, "XENMEM_add_to_physmap(grant table)"))
                return false;
            if (i == 0) FirstFrame = page;
        }
        Log.Write("xen0: grant table frames allocated ");
        Log.WriteDecimal(frames);
        Log.Write('/');
        Log.WriteDecimal(query.MaxNrFrames);
        Log.Write(", ");
        Log.WriteDecimal(frames * (uint)(BootPages.PageSize / EntrySize) - XenNumbers.GnttabNrReservedEntries);
        Log.WriteLine(" free references");
        return true;
    }
}
