using XenGen.RealXen.Tests.OurXenstored;

namespace XenGen.RealXen.Tests;

/// <summary>
/// The collection every test that boots real Xen belongs to: boots do not run in parallel, and the boot with
/// Debian's C xenstored (<see cref="CXenstoredBoot"/>) is shared by the tests that read it.
/// </summary>
[CollectionDefinition("realxen boots")]
public sealed class RealXenBoots : ICollectionFixture<CXenstoredBoot>;

/// <summary>
/// One boot with Debian's C xenstored as dom0's store running <c>OurXenstored/dom0-store-check.sh</c>: the checks
/// of dom0 and a PV guest with a disk and a vif (<see cref="RealXenBootTests"/>), and the tree the same toolstack and
/// kernel write with C xenstored (<see cref="OurXenstoredTests"/> compares ours with it). Started by the first test
/// that awaits <see cref="Result"/>, so a run filtered to other tests does not boot.
/// </summary>
public sealed class CXenstoredBoot
{
    private static readonly TimeSpan BootLimit = TimeSpan.FromMinutes(55);
    private readonly Lazy<Task<RealXenProcess.Result>> boot = new(() => RealXenProcess.RunAsync(["run", "--timeout", "3000", "--store", "c", "--", "sh", StoreCheckScript.Copy()], BootLimit));

    /// <summary>The boot's result, booting on first use.</summary>
    internal Task<RealXenProcess.Result> Result => boot.Value;
}
