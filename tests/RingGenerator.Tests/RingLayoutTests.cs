using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using XenGen.Tests.Abi.Io;
using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>The ring accessors' numbers come from the model: the shared ring's offsets and XEN_PAGE_SHIFT.</summary>
public sealed unsafe class RingLayoutTests
{
    private static readonly (string Path, string Text) X64 = ModelFile("Models/test/x86_64.abi.json");

    [Fact]
    public void TheGeneratedLayoutIsTheSharedRingRecords()
    {
        DemoSring s = default;
        ref byte start = ref Unsafe.As<DemoSring, byte>(ref s);
        Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<uint, byte>(ref s.ReqProd)), DemoRingLayout.RequestProducerOffset);
        Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<uint, byte>(ref s.ReqEvent)), DemoRingLayout.RequestEventOffset);
        Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<uint, byte>(ref s.RspProd)), DemoRingLayout.ResponseProducerOffset);
        Assert.Equal((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<uint, byte>(ref s.RspEvent)), DemoRingLayout.ResponseEventOffset);
        Assert.Equal(DemoFront.RingOffset, DemoRingLayout.RingOffset);
    }

    [Fact]
    public void RingSizesFollowTheModelsPageShift()
    {
        Assert.Equal(Ring.XenPageShift, DemoFront.PageShift);
        Assert.Equal(1L << Ring.XenPageShift, DemoFront.BytesForPageOrder(0));
        Assert.Equal(4L << Ring.XenPageShift, DemoFront.BytesForPageOrder(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoFront.BytesForPageOrder(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoFront.BytesForPageOrder(32 - Ring.XenPageShift));
        Assert.Equal(1u << (Ring.XenPageShift - 1), Xen.Rings.RingIndex.FlexRingSize(0, Ring.XenPageShift));
    }

    [Fact]
    public void OffsetsAreTakenFromTheModelNotAssumed()
    {
        // req_event and rsp_prod of demo_sring swapped, and 64 KiB pages: the generated layout follows.
        int start = X64.Text.IndexOf("\"id\": \"demo_sring\"", StringComparison.Ordinal);
        int end = X64.Text.IndexOf("\"id\":", start + 1, StringComparison.Ordinal);
        string sring = X64.Text[start..end]
            .Replace("\"name\": \"req_event\",", "\"name\": \"req_event_x\",")
            .Replace("\"name\": \"rsp_prod\",", "\"name\": \"req_event\",")
            .Replace("\"name\": \"req_event_x\",", "\"name\": \"rsp_prod\",");
        string text = (X64.Text[..start] + sring + X64.Text[end..])
            .Replace("\"expansion\": \"12\"", "\"expansion\": \"16\"").Replace("\"value\": 12,", "\"value\": 16,");
        var (output, diagnostics, run) = Run([(X64.Path, text)], Settings("test", "x86_64"));
        Assert.Empty(Problems(diagnostics));
        Assert.Empty(Problems(output.GetDiagnostics()));
        string demo = run.GeneratedTrees.Single(t => t.FilePath.EndsWith("io.demo.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("public static int RequestEventOffset => 8;", demo);
        Assert.Contains("public static int ResponseProducerOffset => 4;", demo);
        Assert.Contains("public const int PageShift = 16;", demo);
    }

    [Fact]
    public void AModelWithoutAPageShiftLeavesTheRingOutAndSaysSo()
    {
        string text = Regex.Replace(X64.Text, "\"name\": \"XEN_PAGE_SHIFT\"", "\"name\": \"XEN_PAGE_SHIFT_GONE\"");
        var d = Assert.Single(Problems(Run([(X64.Path, text)], Settings("test", "x86_64")).Diagnostics));
        Assert.Equal("XENGEN006", d.Id);
        Assert.Contains("XEN_PAGE_SHIFT", d.GetMessage());
        Assert.Contains("(C: io/demo.h:55)", d.GetMessage());
    }
}
