using System.CommandLine;
using Spectre.Console;
using XenGen.Tool.Headers;

namespace XenGen.Tool.Commands;

/// <summary>
/// <c>xengen headers add &lt;release&gt; --suite SUITE [--package-version V]</c> pins a Debian <c>libxen-dev</c>;
/// <c>xengen headers add &lt;release&gt; --from DIR|TARBALL</c> pins a header tree no distribution packages.
/// </summary>
internal static class HeadersAddCommand
{
    public static Command Create()
    {
        var release = new Argument<string>("release") { Description = "Name of the new release, e.g. 4.21.0" };
        var suite = new Option<string?>("--suite") { Description = "Pin libxen-dev from this Debian suite (e.g. trixie, bookworm-security), fetched with apt", HelpName = "SUITE" };
        var version = new Option<string?>("--package-version") { Description = "With --suite: the package version to pin (default: the newest the suite serves)", HelpName = "V" };
        var from = new Option<string?>("--from")
        {
            Description = "Pin the tree of a Xen source checkout (xen/include/public), a public or include directory, or a .tar.gz/.tar.xz of one",
            HelpName = "DIR|TARBALL",
        };
        var makeDefault = new Option<bool>("--default") { Description = "Make the new release the defaultRelease" };
        var command = new Command("add", "Pin a new release in releases.json and put its header tree in the cache");
        command.Arguments.Add(release);
        command.Options.Add(suite);
        command.Options.Add(version);
        command.Options.Add(from);
        command.Options.Add(makeDefault);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            string name = result.GetValue(release)!;
            string? suiteName = result.GetValue(suite), tree = result.GetValue(from), packageVersion = result.GetValue(version);
            if ((suiteName is null) == (tree is null))
                throw new XenGenException("headers add: give either --suite SUITE (a Debian package) or --from DIR|TARBALL (a header tree)");
            if (tree is not null && packageVersion is not null)
                throw new XenGenException("--package-version goes with --suite, not --from");

            var console = Terminal.Out;
            var pinner = new ReleasePinner(cache, new DebianArchive(Path.Combine(cache.Root, "apt"))
            {
                Progress = line => console.MarkupLine($"[dim]{Markup.Escape(line)}…[/]"),
            });
            var pin = tree is not null
                ? pinner.AddFromTree(catalog, name, tree, result.GetValue(makeDefault))
                : pinner.AddFromDebian(catalog, name, suiteName!, packageVersion, result.GetValue(makeDefault));
            string what = pin.IsTreePin
                ? $"from {pin.Origin}" + (pin.OriginSha256 is null ? "" : $" (sha256 {pin.OriginSha256})")
                : $"{pin.Package} {pin.PackageVersion} from {pin.Suite} (.deb sha256 {pin.DebSha256})";
            console.MarkupLine($"[green]{Markup.Escape(pin.Release)}[/] pinned {Markup.Escape(what)}: header tree {pin.HeaderTreeSha256}, interface {pin.InterfaceVersion}");
            console.MarkupLine($"[dim]wrote {Markup.Escape(catalog.SourcePath)}; next: xengen import --release {Markup.Escape(pin.Release)}[/]");
            return 0;
        });
        return command;
    }
}
