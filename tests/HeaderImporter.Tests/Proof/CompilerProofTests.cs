using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;
using XenGen.Tool.Verify;
using Xunit.Abstractions;

namespace XenGen.HeaderImporter.Tests.Proof;

/// <summary>
/// The model is proven equal to Debian's clang: every record size and alignment, field offset and size,
/// constant value and type, enumerator and typedef size is a <c>_Static_assert</c> compiled for the model's
/// target triple against the fetched headers; on x86_64 a program also checks bitfields, strings and tables.
/// </summary>
public sealed class CompilerProofTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("xengen-proof-").FullName;

    public static TheoryData<string, string> AllReleasesAndArches() => Releases.All();

    [Theory]
    [MemberData(nameof(AllReleasesAndArches))]
    public void Fresh_import_is_proven_by_clang(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var proof = ModelProof.Prove(model, Releases.IncludeDir(release), _work);
        output.WriteLine($"{release} {arch}: proved {proof.Counts}{(proof.RanRuntimeChecks ? " (with run-time checks)" : "")}");
        Assert.True(proof.Proven, string.Join("\n", proof.Failures.Take(30)));
        Assert.Empty(proof.Unprovable);
        Assert.InRange(proof.Counts.Records, 1000, int.MaxValue);
        Assert.InRange(proof.Counts.Fields, 4000, int.MaxValue);
        Assert.InRange(proof.Counts.Constants, 2000, int.MaxValue);
        Assert.Equal(arch == "x86_64", proof.RanRuntimeChecks);
    }

    public static TheoryData<string> Mutations() => new() { "record size", "field offset", "constant value", "constant type", "enumerator", "bitfield", "string", "table" };

    /// <summary>The proof can fail: one wrong fact in an otherwise proven model is reported by name.</summary>
    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_single_wrong_fact_fails_the_proof(string mutation)
    {
        var model = ModelFile.Read(ModelFile.PathOf(Releases.ModelsDir, "4.17.5", "x86_64"));
        string expected = Mutate(model, mutation);
        var proof = ModelProof.Prove(model, Releases.IncludeDir("4.17.5"), _work);
        Assert.False(proof.Proven);
        Assert.Contains(proof.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    private static string Mutate(AbiModel m, string mutation)
    {
        switch (mutation)
        {
            case "record size":
                var ring = m.Records.Single(r => r.Id == "xenstore_domain_interface");
                ring.Size += 4;
                return "sizeof xenstore_domain_interface";
            case "field offset":
                var req = m.Records.Single(r => r.Id == "blkif_request");
                req.Fields.Single(f => f.Name == "sector_number").OffsetBits += 32;
                return "offsetof blkif_request.sector_number";
            case "constant value":
                m.Constants.Single(c => c.Name == "XENSTORE_RING_SIZE").Value = "2048";
                return "value of XENSTORE_RING_SIZE";
            case "constant type":
                m.Constants.Single(c => c.Name == "DOMID_SELF").CType = "int";
                return "type of DOMID_SELF";
            case "enumerator":
                var k = m.Enums.SelectMany(e => e.Constants).Single(c => c.Name == "XS_WATCH_EVENT");
                k.Value = (long.Parse(k.Value) + 1).ToString();
                return "value of XS_WATCH_EVENT";
            case "bitfield":
                var bf = m.Records.SelectMany(r => r.Fields.Select(f => (r, f))).First(x => x.f.BitWidth is > 1);
                bf.f.BitWidth -= 1;
                return $"bitfield {bf.r.Id}.{bf.f.Name}";
            case "string":
                m.Constants.Single(c => c.Name == "XS_WRITE_NONE").Value = "NONF";
                return "string XS_WRITE_NONE";
            case "table":
                m.Tables.Single(t => t.Name == "xsd_errors").Rows[0][1] = "EBOGUS";
                return "xsd_errors[0]";
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
