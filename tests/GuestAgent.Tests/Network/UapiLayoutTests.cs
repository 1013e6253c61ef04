using Xen.GuestAgent.Network;

namespace Xen.GuestAgent.Tests.Network;

/// <summary>The netlink numbers and layouts written by hand in the agent, held to the Linux uapi headers by clang.</summary>
public class UapiLayoutTests
{
    private static readonly System.Reflection.Assembly Agent = typeof(NetlinkMonitor).Assembly;

    [Fact]
    public void EveryConstantStructAndFieldMatchesTheUapiHeaders()
    {
        string source = UapiLayoutProof.Source(Agent);
        var result = UapiLayoutProof.Compile(source);
        Assert.True(result.ExitCode == 0, result.Describe("clang") + "\n" + source);
        var names = UapiLayoutProof.Names(Agent).ToList();
        Assert.Contains("RTM_NEWADDR", names);
        Assert.Contains("struct nlmsghdr", names);
        Assert.Contains("struct ifaddrmsg", names);
        Assert.Contains("struct ifinfomsg", names);
        Assert.Contains("struct rtattr", names);
        Assert.True(names.Count >= 40, $"only {names.Count} names proven");
    }

    [Theory]
    [InlineData("RTM_NEWADDR")]
    [InlineData("RTMGRP_IPV6_IFADDR")]
    [InlineData("IFA_LOCAL")]
    public void AWrongValueFailsToCompileNamingTheConstant(string constant)
    {
        var result = UapiLayoutProof.Compile(UapiLayoutProof.Source(Agent, (name, value) => name == constant ? value + 1 : value));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{constant} is", result.Stderr);
    }

    [Fact]
    public void AWrongFieldOffsetFailsToCompile()
    {
        string source = UapiLayoutProof.Source(Agent).Replace("offsetof(struct ifaddrmsg, ifa_index) == 4", "offsetof(struct ifaddrmsg, ifa_index) == 5", StringComparison.Ordinal);
        var result = UapiLayoutProof.Compile(source);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("offsetof(struct ifaddrmsg, ifa_index) == 5", result.Stderr);
    }
}
