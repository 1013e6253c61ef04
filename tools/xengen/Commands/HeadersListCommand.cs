using System.CommandLine;
using Spectre.Console;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary><c>xengen headers list</c>: the pinned releases and whether each is in the cache.</summary>
internal static class HeadersListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the pinned releases and whether their headers are cached");
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("release", "suite", "package version", "header tree sha256", "interface", "cached");
            foreach (var pin in catalog.Releases)
            {
                var name = pin.Release == catalog.DefaultRelease ? $"{pin.Release} (default)" : pin.Release;
                table.AddRow(Markup.Escape(name), pin.IsTreePin ? "[dim](tree)[/]" : Markup.Escape(pin.Suite),
                    Markup.Escape(pin.IsTreePin ? pin.Origin! : pin.PackageVersion),
                    pin.HeaderTreeSha256[..16] + "…", pin.InterfaceVersion, CacheState(cache, pin));
            }
            var console = Terminal.Out;
            console.Write(table);
            console.MarkupLine($"[dim]cache: {Markup.Escape(cache.Root)}[/]");
            return 0;
        });
        return command;
    }

    private static string CacheState(HeaderCache cache, ReleasePin pin)
    {
        if (!cache.TryGetIncludeDir(pin.Release, out _))
            return "[dim]no[/]";
        var source = cache.ReadSource(pin.Release);
        if (source?.HeaderTreeSha256 != pin.HeaderTreeSha256)
            return "[yellow]differs from pin[/]";
        return pin.IsTreePin || source.PackageVersion == pin.PackageVersion
            ? "[green]yes[/]"
            : $"[green]yes[/] (from {Markup.Escape(source.PackageVersion)})";
    }
}
