using XenGen.Tests.Abi.Io;
using Xunit;

namespace XenGen.Tests;

/// <summary>The generated C name lookups of enums and constants classes, so runtime code never rebuilds a C name.</summary>
public class CNameTests
{
    [Fact]
    public void AnEnumValueGivesItsCEnumeratorName()
    {
        Assert.Equal("XS_READ", XsdSockmsgType.XsRead.CName());
        Assert.Equal("XS_INVALID", XsdSockmsgType.XsInvalid.CName());
        // XS_DEBUG has XS_CONTROL's value: the first enumerator in the header names it.
        Assert.Equal("XS_CONTROL", XsdSockmsgType.XsDebug.CName());
        Assert.Null(((XsdSockmsgType)77).CName());
    }

    [Fact]
    public void ACEnumeratorNameGivesItsValue()
    {
        Assert.True(XsdSockmsgTypeCNames.TryParseCName("XS_DIRECTORY", out var directory));
        Assert.Equal(XsdSockmsgType.XsDirectory, directory);
        Assert.True(XsdSockmsgTypeCNames.TryParseCName("XS_DEBUG", out var debug));
        Assert.Equal(XsdSockmsgType.XsControl, debug);
        Assert.False(XsdSockmsgTypeCNames.TryParseCName("xs_read", out var none));
        Assert.Equal(default, none);
    }

    [Fact]
    public void AConstantsValueGivesItsCNameWithinAPrefixGroup()
    {
        Assert.Equal("DEMO_A", Demo.CNameOf(1, "DEMO_"));
        Assert.Equal("DEMO_B", Demo.CNameOf(-2, ""));
        Assert.Equal("DEMO_BIG", Demo.CNameOf(unchecked((long)Demo.DemoBig), "DEMO_"));
        Assert.Null(Demo.CNameOf(1, "DEMO_B"));
        Assert.Null(Demo.CNameOf(3, "DEMO_"));
        Assert.Equal("XENSTORE_RING_SIZE", XsWire.CNameOf(XsWire.XenstoreRingSize, "XENSTORE_"));
    }

    [Fact]
    public void ACConstantNameGivesItsValue()
    {
        Assert.True(Demo.TryGetCValue("DEMO_B", out long b));
        Assert.Equal(Demo.DemoB, b);
        Assert.True(XsWire.TryGetCValue("XENSTORE_RING_SIZE", out long size));
        Assert.Equal(XsWire.XenstoreRingSize, size);
        // Only integer constants are in the table; string macros are not values.
        Assert.False(XsWire.TryGetCValue("XS_WRITE_NONE", out long none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void LookupsAllocateNothing()
    {
        Lookups();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Lookups();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void Lookups()
    {
        _ = XsdSockmsgType.XsRead.CName();
        _ = XsdSockmsgTypeCNames.TryParseCName("XS_READ", out _);
        _ = Demo.CNameOf(-2, "DEMO_");
        _ = Demo.TryGetCValue("DEMO_BIG", out _);
    }
}
