using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Drivers.Ethernet.Tap;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// The TAP device's hand-written Linux numbers and <c>struct virtio_net_hdr</c>'s layout, compiled by clang against
/// linux-libc-dev's <c>linux/if_tun.h</c>, <c>net/if.h</c> and <c>linux/virtio_net.h</c> as <c>_Static_assert</c>s;
/// a mutated value must fail to compile, so the proof can fail.
/// </summary>
public sealed class LinuxTapAbiTests
{
    private static string Source(IReadOnlyDictionary<string, long>? overrides = null)
    {
        var values = new Dictionary<string, long>
        {
            ["TUNSETIFF"] = LinuxTun.TunSetIff,
            ["TUNSETOFFLOAD"] = LinuxTun.TunSetOffload,
            ["TUNSETVNETHDRSZ"] = LinuxTun.TunSetVnetHdrSz,
            ["IFF_TAP"] = LinuxTun.IffTap,
            ["IFF_NO_PI"] = LinuxTun.IffNoPi,
            ["IFF_VNET_HDR"] = LinuxTun.IffVnetHdr,
            ["TUN_F_CSUM"] = LinuxTun.TunFCsum,
            ["TUN_F_TSO4"] = LinuxTun.TunFTso4,
            ["TUN_F_TSO6"] = LinuxTun.TunFTso6,
            ["IFNAMSIZ"] = LinuxTun.IfNameSize,
            ["sizeof(struct ifreq)"] = LinuxTun.IfreqSize,
            ["offsetof(struct ifreq, ifr_flags)"] = LinuxTun.IfreqFlagsOffset,
            ["VIRTIO_NET_HDR_F_NEEDS_CSUM"] = VirtioNetHeader.FlagNeedsCsum,
            ["VIRTIO_NET_HDR_F_DATA_VALID"] = VirtioNetHeader.FlagDataValid,
            ["VIRTIO_NET_HDR_GSO_NONE"] = VirtioNetHeader.GsoNone,
            ["VIRTIO_NET_HDR_GSO_TCPV4"] = VirtioNetHeader.GsoTcpV4,
            ["VIRTIO_NET_HDR_GSO_TCPV6"] = VirtioNetHeader.GsoTcpV6,
            ["VIRTIO_NET_HDR_GSO_ECN"] = VirtioNetHeader.GsoEcn,
            ["sizeof(struct virtio_net_hdr)"] = VirtioNetHeader.Size,
        };
        foreach (var field in typeof(VirtioNetHeader).GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            var offset = field.GetCustomAttribute<FieldOffsetAttribute>()!.Value;
            // FlagsName -> C's snake case: GsoType -> gso_type.
            var c = string.Concat(field.Name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
            values[$"offsetof(struct virtio_net_hdr, {c})"] = offset;
            values[$"sizeof(((struct virtio_net_hdr *)0)->{c})"] = Marshal.SizeOf(field.FieldType);
        }
        foreach (var (k, v) in overrides ?? new Dictionary<string, long>()) values[k] = v;
        var text = new StringBuilder("#include <stddef.h>\n#include <sys/ioctl.h>\n#include <net/if.h>\n#include <linux/if_tun.h>\n#include <linux/virtio_net.h>\n");
        foreach (var (expression, value) in values)
            text.Append($"_Static_assert(({expression}) == {value}L, \"{expression} is not {value}\");\n");
        return text.ToString();
    }

    private static async Task<(int Code, string Output)> CompileAsync(string source)
    {
        var dir = Directory.CreateTempSubdirectory("tap-abi-").FullName;
        try
        {
            var file = Path.Combine(dir, "tap.c");
            await File.WriteAllTextAsync(file, source);
            return await HostTools.RunAsync("clang", ["-fsyntax-only", "-std=gnu11", file]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_numbers_and_layout_match_the_linux_headers()
    {
        var (code, output) = await CompileAsync(Source());
        Assert.True(code == 0, output);
    }

    [Theory]
    [InlineData("TUNSETOFFLOAD", 0x400454D1L)]
    [InlineData("offsetof(struct virtio_net_hdr, csum_start)", 8L)]
    public async Task A_wrong_value_fails_to_compile(string expression, long wrong)
    {
        var (code, output) = await CompileAsync(Source(new Dictionary<string, long> { [expression] = wrong }));
        Assert.NotEqual(0, code);
        Assert.Contains($"{expression} is not {wrong}", output);
    }
}
