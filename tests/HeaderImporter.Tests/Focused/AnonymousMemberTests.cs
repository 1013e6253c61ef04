using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Anonymous unions and structs inside structs (<c>cpu_user_regs</c>'s register unions on x86, the
/// <c>__DECL_REG</c> unions of <c>vcpu_guest_core_regs</c> on Arm) and anonymous nested records reached through a
/// named field: the <c>parent.anonN</c> / <c>parent.field</c> records and their fields' offsets, against clang.
/// </summary>
public sealed class AnonymousMemberTests
{
    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Every_record_with_anonymous_or_nested_members_matches_clang(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        var tops = model.Records.Where(r => r.Parent != null).Select(peer.TopOf)
            .Where(r => LayoutPeer.CName(r) != null && !r.Header.StartsWith("sys/", StringComparison.Ordinal))
            .DistinctBy(r => r.Id).ToList();
        Assert.True(tops.Count >= 20, $"only {tops.Count} records with nested members");
        foreach (var r in tops) peer.AddRecord(r);
        peer.Check();
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Register_unions_overlay_their_names(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        bool x86 = TargetArch.Parse(arch).Family == "x86";
        var regs = peer.Record(x86 ? "cpu_user_regs" : "vcpu_guest_core_regs");

        // The unions are anonymous members: fields without a name whose records are regs.anonN.
        var anonymous = regs.Fields.Where(f => f.Name is null).ToList();
        Assert.NotEmpty(anonymous);
        Assert.All(anonymous, f => Assert.Matches($@"^{regs.Id}\.anon\d+$", f.Type.Record));

        var paths = peer.Flatten(regs).ToDictionary(p => p.Path);
        // Names that C overlays in one union: each group must share its offset, in the model and for clang.
        string[][] overlays = x86
            ? arch == "x86_64"
                ? [["rax", "eax", "ax", "al"], ["rbx", "ebx", "bx", "bl"], ["rsp", "esp", "sp", "spl"], ["rip", "eip", "ip"], ["r8", "r8d", "r8w", "r8b"]]
                : [["eax", "ax", "al"], ["ebx", "bx", "bl"], ["esp", "sp"], ["eip", "ip"]]
            : [["x0", "r0_usr"], ["x1", "r1_usr"], ["x13", "sp_usr"], ["pc64", "pc32"]];
        foreach (var group in overlays)
        {
            var offsets = group.Select(n => Assert.Contains(n, (IDictionary<string, FieldPath>)paths).OffsetBits).Distinct().ToList();
            Assert.True(offsets.Count == 1, $"{string.Join(", ", group)} are at bits {string.Join(", ", offsets)} in the model");
            foreach (var n in group) peer.AddField(paths[n]);
        }
        if (x86)
        {
            // bl and bh are a struct inside the union (regs.anonN.anon0): bh is the byte after bl.
            Assert.Equal(paths["bl"].OffsetBits + 8, paths["bh"].OffsetBits);
            peer.AddField(paths["bh"]);
        }
        peer.AddRecord(regs);
        peer.Check();
    }
}
