using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>The peer itself: it must report a model that is wrong, for compiled and for run programs.</summary>
public sealed class LayoutPeerTests
{
    [Theory]
    [InlineData("x86_64", true)]
    [InlineData("x86_32", true)]
    [InlineData("x86_64", false)]
    [InlineData("arm32", false)]
    public void A_wrong_offset_size_or_bit_position_is_reported(string arch, bool run)
    {
        var model = Releases.Import("4.17.5", arch).Model;
        bool x86 = arch.StartsWith("x86", StringComparison.Ordinal);
        // A copy of a real record with one field moved by a byte, one size off by one, and (x86) one bitfield moved.
        var real = model.Records.Single(r => r.Id == (x86 ? "vioapic_redir_entry" : "vcpu_guest_core_regs"));
        var copy = ModelJson.Read(ModelJson.Write(model), "copy");
        var wrong = copy.Records.Single(r => r.Id == real.Id);
        wrong.Size += 1;
        var peer = new LayoutPeer(copy, run);
        if (x86)
        {
            var fields = copy.Records.Single(r => r.Id == "vioapic_redir_entry.fields").Fields;
            fields.Single(f => f.Name == "dest_id").OffsetBits += 8;
            fields.Single(f => f.Name == "mask").OffsetBits += 1;
        }
        else
        {
            wrong.Fields[3].OffsetBits += 8;
            var ioreq = copy.Records.Single(r => r.Id == "ioreq");
            ioreq.Fields.Single(f => f.Name == "df").OffsetBits += 1;
            peer.AddRecord(ioreq);
        }
        peer.AddRecord(wrong);
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => peer.Check());
        Assert.Contains($"{real.Id}:sizeof: model {real.Size + 1}, clang {real.Size}", e.Message);
        if (x86)
        {
            Assert.Contains("vioapic_redir_entry:fields.dest_id:offsetof: model 8, clang 7", e.Message);
            if (run) Assert.Contains("vioapic_redir_entry:fields.mask:bits.first: model 17, clang 16", e.Message);
        }
        else
        {
            Assert.Contains(":offsetof: model", e.Message);
            long df = model.Records.Single(r => r.Id == "ioreq").Fields.Single(f => f.Name == "df").OffsetBits;
            Assert.Contains($"ioreq:df:bits.first: model {df + 1}, clang {df}", e.Message);
        }
    }
}
