using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;
using XenGen.Tool.Verify;
using Xunit.Abstractions;

namespace XenGen.HeaderImporter.Tests.Proof;

/// <summary>
/// The ioctl numbers and argument structs <c>Xen.Abi</c> generates for <c>/dev/xen/{evtchn,gntdev,gntalloc,privcmd}</c>
/// come from Xen's copies of Linux's device headers; the kernel's own UAPI headers (Debian's <c>linux-libc-dev</c>)
/// are the peer they are proven against, for every committed model.
/// </summary>
public sealed class LinuxUapiProofTests(ITestOutputHelper output) : IDisposable
{
    private const string LinuxInclude = "/usr/include";
    private readonly string _work = Directory.CreateTempSubdirectory("xengen-uapi-proof-").FullName;

    public static TheoryData<string, string> AllReleasesAndArches() => Releases.All();

    [Theory]
    [MemberData(nameof(AllReleasesAndArches))]
    public void Device_headers_of_the_model_are_the_kernels(string release, string arch)
    {
        var proof = LinuxUapiProof.Prove(Releases.Committed(release, arch), LinuxInclude, Releases.IncludeDir(release), _work);
        output.WriteLine($"{release} {arch}: proved {proof.Counts}");
        Assert.True(proof.Proven, string.Join("\n", proof.Failures.Take(30)));
        // Xen 4.20 copied an ioctl from a Linux newer than bookworm's 6.1; nothing else may be missing.
        string[] newerThanLinux = release.StartsWith("4.17.", StringComparison.Ordinal) ? [] : ["struct privcmd_pcidev_get_gsi", "IOCTL_PRIVCMD_PCIDEV_GET_GSI"];
        Assert.Equal(newerThanLinux, proof.Unprovable);
        // Every other record and ioctl of the four headers is asserted (31 records, 33 constants in 4.17).
        Assert.InRange(proof.Counts.Records, 31, int.MaxValue);
        Assert.InRange(proof.Counts.Constants, 33, int.MaxValue);
    }

    public static TheoryData<string> Mutations() => new() { "ioctl number", "ioctl type", "record size", "field offset", "flag" };

    /// <summary>The proof can fail: one wrong device fact is reported by name.</summary>
    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_single_wrong_device_fact_fails_the_proof(string mutation)
    {
        var model = Releases.Committed("4.17.5", "x86_64");
        string expected = Mutate(model, mutation);
        var proof = LinuxUapiProof.Prove(model, LinuxInclude, Releases.IncludeDir("4.17.5"), _work);
        Assert.False(proof.Proven);
        Assert.Contains(proof.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_uapi_header_is_named()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_work, "empty")).FullName;
        var e = Assert.ThrowsAny<Exception>(() => LinuxUapiProof.Prove(Releases.Committed("4.17.5", "x86_64"), empty, Releases.IncludeDir("4.17.5"), _work));
        Assert.Contains(Path.Combine(empty, "xen/evtchn.h"), e.Message);
        Assert.Contains("linux-libc-dev", e.Message);
    }

    private static string Mutate(AbiModel m, string mutation)
    {
        switch (mutation)
        {
            case "ioctl number":
                var notify = m.Constants.Single(c => c.Name == "IOCTL_EVTCHN_NOTIFY");
                notify.Value = (ulong.Parse(notify.Value) + 1).ToString();
                return "value of IOCTL_EVTCHN_NOTIFY";
            case "ioctl type":
                m.Constants.Single(c => c.Name == "IOCTL_GNTDEV_MAP_GRANT_REF").CType = "int";
                return "type of IOCTL_GNTDEV_MAP_GRANT_REF";
            case "record size":
                m.Records.Single(r => r.Id == "ioctl_gntalloc_alloc_gref").Size += 8;
                return "sizeof ioctl_gntalloc_alloc_gref";
            case "field offset":
                m.Records.Single(r => r.Id == "ioctl_gntdev_grant_copy_segment").Fields.Single(f => f.Name == "len").OffsetBits += 16;
                return "offsetof ioctl_gntdev_grant_copy_segment.len";
            case "flag":
                m.Constants.Single(c => c.Name == "GNTALLOC_FLAG_WRITABLE").Value = "2";
                return "value of GNTALLOC_FLAG_WRITABLE";
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
