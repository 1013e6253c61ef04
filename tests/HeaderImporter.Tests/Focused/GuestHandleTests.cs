using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Guest handles (<c>XEN_GUEST_HANDLE(T)</c>) and their width per architecture, against clang and against the
/// widths the Xen ABI documents: a pointer on x86 (4 bytes on x86_32, 8 on x86_64), <c>XEN_GUEST_HANDLE_64</c>
/// always 8; on Arm a handle in memory is always 8 bytes, 8-aligned (<c>__guest_handle_64_*</c>), and only the
/// hypercall-parameter form (<c>XEN_GUEST_HANDLE_PARAM</c>, <c>__guest_handle_*</c>) is pointer-sized.
/// </summary>
public sealed class GuestHandleTests
{
    private const string Prefix = "__guest_handle_";
    private const string Prefix64 = "__guest_handle_64_";

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Guest_handles_have_the_documented_width(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var records = model.Records.ToDictionary(r => r.Id);
        long pointer = arch is "x86_32" or "arm32" ? 4 : 8;
        bool arm = TargetArch.Parse(arch).Family == "arm";
        foreach (var g in model.GuestHandles)
        {
            long expected = g.Record.StartsWith(Prefix64, StringComparison.Ordinal) ? 8 : pointer;
            Assert.True((expected, expected) == (g.Size, g.Align), $"{arch}: {g.Record} is {g.Size} bytes, {g.Align}-aligned; expected {expected}");
        }

        // The handles records hold: on Arm every one is the 8-byte form, whatever the pointer width.
        var inRecords = model.Records.SelectMany(r => r.Fields)
            .Where(f => f.Type is { Kind: TypeKinds.Record, Record: string id } && id.StartsWith(Prefix, StringComparison.Ordinal))
            .ToList();
        Assert.True(inRecords.Count >= 50, $"only {inRecords.Count} guest-handle fields");
        foreach (var f in inRecords)
        {
            if (arm) Assert.True(f.Size == 8 && f.Type.Align == 8, $"{arch}: field {f.Name} of type {f.Type.C} is {f.Size} bytes");
            else Assert.Equal(f.Type.Record!.StartsWith(Prefix64, StringComparison.Ordinal) ? 8 : pointer, f.Size);
        }
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Guest_handles_are_handle_types_not_their_nested_unions(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var nested = model.Records.Where(r => r.Parent != null).Select(r => r.Id).ToHashSet();
        var wrong = model.GuestHandles.Where(g => nested.Contains(g.Record)).Select(g => g.Record).ToList();
        Assert.True(wrong.Count == 0, $"{release}/{arch}: {wrong.Count} of {model.GuestHandles.Count} guest handles are nested records, e.g. {string.Join(", ", wrong.Take(3))}");
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Guest_handles_and_the_records_holding_them_match_clang(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        var records = model.Records.ToDictionary(r => r.Id);
        var handles = model.GuestHandles.ToList();
        Assert.True(handles.Count >= 100, $"only {handles.Count} guest handles");
        foreach (var g in handles)
        {
            var r = records[g.Record];
            Assert.Equal((r.Size, r.Align), (g.Size, g.Align));
            peer.AddRecord(r);
        }
        var owners = model.Records
            .Where(r => r.Fields.Any(f => f.Type is { Kind: TypeKinds.Record, Record: string id } && id.StartsWith(Prefix, StringComparison.Ordinal)))
            .Select(peer.TopOf)
            .Where(r => LayoutPeer.CName(r) != null && !r.Id.StartsWith(Prefix, StringComparison.Ordinal) && !r.Header.StartsWith("sys/", StringComparison.Ordinal))
            .DistinctBy(r => r.Id).ToList();
        Assert.Contains(owners, r => r.Id == "xen_memory_reservation");
        foreach (var r in owners) peer.AddRecord(r);
        peer.Check();
    }
}
