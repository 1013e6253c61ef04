namespace Xen.XenStore.Tests.Protocol;

public class ArgumentTests
{
    [Fact]
    public void StringsNeedTheirNulTerminator()
    {
        var reader = new XsArgumentReader("/a\0tok\0rest"u8);
        Assert.True(reader.TryReadString(out var path));
        Assert.Equal("/a"u8.ToArray(), path.ToArray());
        Assert.True(reader.TryReadString(out var token));
        Assert.Equal("tok"u8.ToArray(), token.ToArray());
        Assert.False(reader.TryReadString(out _));
        Assert.Equal("rest"u8.ToArray(), reader.ReadToEnd().ToArray());
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void BinaryTailKeepsItsNuls()
    {
        var reader = new XsArgumentReader("/k\0a\0b\0"u8);
        Assert.True(reader.TryReadString(out _));
        Assert.Equal("a\0b\0"u8.ToArray(), reader.ReadToEnd().ToArray());
    }

    [Theory]
    [InlineData("0", true, 0u)]
    [InlineData("4294967295", true, uint.MaxValue)]
    [InlineData("4294967296", false, 0u)]
    [InlineData("", false, 0u)]
    [InlineData("12x", false, 0u)]
    [InlineData("-1", false, 0u)]
    [InlineData("+1", false, 0u)]
    public void NumbersAreDecimalDigitsOnly(string text, bool ok, uint value)
    {
        var reader = new XsArgumentReader(System.Text.Encoding.ASCII.GetBytes(text + "\0"));
        Assert.Equal(ok, reader.TryReadUInt32(out uint parsed));
        if (ok) Assert.Equal(value, parsed);
    }

    [Fact]
    public void ErrorsComeFromTheGeneratedTable()
    {
        Assert.Equal(new XsError(2, "ENOENT"), XsError.Enoent);
        Assert.Equal(new XsError(11, "EAGAIN"), XsError.Eagain);
        Assert.True(XsError.TryFromName("EISCONN", out var isconn));
        Assert.Equal(106, isconn.Errnum);
        Assert.True(XsError.TryFromErrnum(13, out var acces));
        Assert.Equal("EACCES", acces.Name);
        Assert.False(XsError.TryFromName("EWHATEVER", out _));
        Assert.False(default(XsError).IsError);
    }
}
