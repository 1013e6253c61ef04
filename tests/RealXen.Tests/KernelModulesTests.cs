using XenGen.RealXen.Host;
using XenGen.RealXen.Initramfs;

namespace XenGen.RealXen.Tests;

/// <summary>
/// The load order we compute from <c>modules.dep</c>, held to the modules themselves: <c>modinfo</c> reads each
/// <c>.ko</c>'s own <c>depends</c>, and every one of those must be loaded earlier. Uses Debian's kernel from the cache
/// (downloaded the first time, as realxen run does).
/// </summary>
[Trait("Category", "RealXen")]
[Collection("realxen boots")]
public sealed class KernelModulesTests
{
    [Fact]
    public void Every_module_comes_after_what_its_ko_file_says_it_depends_on()
    {
        var kernel = new ArtifactCache(ArtifactCache.RootFromEnvironment()).Kernel(_ => { });
        var modules = new KernelModules(kernel.ModulesDirectory);
        var order = modules.LoadOrder([.. Boot.Dom0Image.RootModules, .. Guest.GuestImage.Frontends, "xen-netback", "bridge"]);

        Assert.True(order.Count >= 10, string.Join(' ', order));
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in order)
        {
            var depends = ProcessRunner.Check("modinfo", ["-F", "depends", Path.Combine(kernel.ModulesDirectory, module)]).Trim();
            foreach (var dependency in depends.Split(',', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(loaded.Contains(dependency.Replace('-', '_')), $"{module} needs {dependency}, which is not loaded before it in: {string.Join(' ', order)}");
            loaded.Add(Path.GetFileName(module)[..^".ko".Length].Replace('-', '_'));
        }
    }

    [Fact]
    public void A_module_this_kernel_does_not_have_is_refused_by_name()
    {
        var kernel = new ArtifactCache(ArtifactCache.RootFromEnvironment()).Kernel(_ => { });
        var error = Assert.Throws<ArgumentException>(() => new KernelModules(kernel.ModulesDirectory).LoadOrder(["no_such_module"]));
        Assert.Contains("'no_such_module'", error.Message, StringComparison.Ordinal);
    }
}
