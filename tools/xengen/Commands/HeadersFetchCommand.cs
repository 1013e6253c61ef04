using System.CommandLine;
using Spectre.Console;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary><c>xengen headers fetch [release|all]</c>: downloads pinned header trees into the cache.</summary>
internal static class HeadersFetchCommand
{
    public static Command Create()
    {
        var release = HeadersCommand.ReleaseArgument("Release from releases.json, or \"all\" (default: its defaultRelease)");
        var command = new Command("fetch", "Download the pinned Debian package of a release and cache its verified header tree");
        var from = new Option<string?>("--from")
        {
            Description = "Take the tree from this directory or tarball instead of the archive (how a release pinned with `headers add --from` is fetched); it must hash to the pin",
            HelpName = "DIR|TARBALL",
        };
        command.Arguments.Add(release);
        command.Options.Add(from);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            var name = result.GetValue(release) ?? catalog.DefaultRelease;
            if (result.GetValue(from) is string tree)
            {
                if (name == "all") throw new XenGenException("--from takes the tree of one release, not \"all\"");
                Report(Terminal.Out, new ReleasePinner(cache).FetchFromTree(catalog.Find(name), tree));
                return 0;
            }
            var pins = name == "all" ? catalog.Releases : [catalog.Find(name)];

            var console = Terminal.Out;
            var archive = new DebianArchive(Path.Combine(cache.Root, "apt"))
            {
                Progress = line => console.MarkupLine($"[dim]{Markup.Escape(line)}…[/]"),
            };
            var fetcher = new HeaderFetcher(cache, archive);
            var failed = 0;
            foreach (var pin in pins)
            {
                try
                {
                    Report(console, fetcher.Fetch(pin));
                }
                catch (XenGenException e) when (pins.Count > 1)
                {
                    Terminal.WriteError(e.Message);
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static void Report(IAnsiConsole console, FetchResult r)
    {
        var release = Markup.Escape(r.Pin.Release);
        var dir = Markup.Escape(r.IncludeDir);
        switch (r.Outcome)
        {
            case FetchOutcome.AlreadyCached:
                console.MarkupLine($"[green]{release}[/] already cached, tree matches the pin: {dir}");
                break;
            case FetchOutcome.FetchedPinnedVersion:
                console.MarkupLine($"[green]{release}[/] fetched {Markup.Escape(r.Pin.Package)} {Markup.Escape(r.PackageVersion)}, .deb and tree match the pin: {dir}");
                break;
            case FetchOutcome.FetchedOtherVersion:
                console.MarkupLine(
                    $"[yellow]{release}[/] pinned {Markup.Escape(r.Pin.PackageVersion)} is no longer served; used {Markup.Escape(r.PackageVersion)} " +
                    $"from {Markup.Escape(r.Pin.Suite)}, whose header tree matches the pin: {dir}");
                break;
            case FetchOutcome.FetchedFromTree:
                console.MarkupLine($"[green]{release}[/] copied from {Markup.Escape(r.PackageVersion)}, tree matches the pin: {dir}");
                break;
        }
    }
}
