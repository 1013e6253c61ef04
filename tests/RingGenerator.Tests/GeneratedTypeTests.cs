using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;
using XenGen.Tests.Abi.Io;

namespace XenGen.Tests;

/// <summary>
/// Behaviour of code generated into this assembly by the compiler-loaded generator from Models/test/x86_64.abi.json:
/// bitfields, char arrays, flexible arrays and the constant table.
/// </summary>
public class GeneratedTypeTests
{
    [Fact]
    public void BitfieldsTouchExactlyTheirBits()
    {
        // Expected positions are the model's: a at bit 0 (3 bits), b at 3 (5), c at 8 (4, signed), d at 12 (1), big at 32 (24).
        AssertBits(static (ref DemoBits b) => b.A = uint.MaxValue, 0, 3);
        AssertBits(static (ref DemoBits b) => b.B = uint.MaxValue, 3, 5);
        AssertBits(static (ref DemoBits b) => b.C = -1, 8, 4);
        AssertBits(static (ref DemoBits b) => b.D = true, 12, 1);
        AssertBits(static (ref DemoBits b) => b.Big = ulong.MaxValue, 32, 24);
    }

    [Fact]
    public void BitfieldsRoundTripAndSignExtend()
    {
        var b = default(DemoBits);
        b.A = 5;
        b.B = 17;
        b.C = -3;
        b.D = true;
        b.Big = 0xABCDEF;
        Assert.Equal((5u, 17u, -3, true, 0xABCDEFUL), (b.A, b.B, b.C, b.D, b.Big));
        b.C = 7;
        b.A = 9; // wider than 3 bits: truncated to 1, neighbours untouched
        Assert.Equal((1u, 17u, 7, true, 0xABCDEFUL), (b.A, b.B, b.C, b.D, b.Big));
    }

    [Fact]
    public void CharArraysHaveStringHelpers()
    {
        var b = default(DemoBits);
        b.SetNameString("vbd-51712");
        Assert.Equal("vbd-51712", b.GetNameString());
        Assert.Equal((byte)'v', b.NameBytes[0]);
        Assert.Equal(0, b.NameBytes[9]);
        b.SetNameString("0123456789abcdef");
        Assert.Equal("0123456789abcdef", b.GetNameString());
        Assert.Throws<ArgumentException>(() => b.SetNameString("0123456789abcdefg"));
    }

    [Fact]
    public unsafe void FlexibleArrayStartsAtItsOffset()
    {
        byte* buffer = stackalloc byte[64];
        ref var b = ref Unsafe.AsRef<DemoBits>(buffer);
        b.Extra(3)[2] = 0xAABBCCDD;
        Assert.Equal(0xAABBCCDDu, *(uint*)(buffer + 40 + 8));
    }

    [Fact]
    public void ErrorTableLooksUpBothWays()
    {
        Assert.True(XsdErrorsTable.TryFindByErrstring("ENOENT", out var row));
        Assert.Equal(2, row.Errnum);
        Assert.True(XsdErrorsTable.TryFindByErrnum(13, out row));
        Assert.Equal("EACCES", row.Errstring);
        Assert.True(XsdErrorsTable.TryFindByErrnum(2, out row));
        Assert.Equal("ENOENT", row.Errstring); // the first of two rows with errnum 2
        Assert.False(XsdErrorsTable.TryFindByErrstring("EWHATEVER", out _));
        Assert.Equal(4, XsdErrorsTable.Rows.Length);
    }

    [Fact]
    public void EnumsAndConstantsCarryTheModelValues()
    {
        Assert.Equal(2u, (uint)XsdSockmsgType.XsRead);
        Assert.Equal(0xffffu, (uint)XsdSockmsgType.XsInvalid);
        Assert.Equal(1024, XsWire.XenstoreRingSize);
        Assert.Equal("NONE", XsWire.XsWriteNone);
        Assert.Equal(-2, Demo.DemoB);
        Assert.Equal(1UL << 63, Demo.DemoBig);
    }

    private delegate void Setter(ref DemoBits bits);

    private static void AssertBits(Setter set, int first, int count)
    {
        var b = default(DemoBits);
        set(ref b);
        var bytes = MemoryMarshal.AsBytes(new Span<DemoBits>(ref b));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            bool isSet = (bytes[bit / 8] & (1 << (bit % 8))) != 0;
            Assert.True(isSet == (bit >= first && bit < first + count), $"bit {bit}: {(isSet ? "set" : "clear")}");
        }
    }
}
