using System.CommandLine;

namespace XenGen.Tool.Commands;

/// <summary><c>xengen headers path [release]</c>: prints the include directory (the one holding <c>xen/</c>).</summary>
internal static class HeadersPathCommand
{
    public static Command Create()
    {
        var release = HeadersCommand.ReleaseArgument("Release from releases.json (default: its defaultRelease)");
        var command = new Command("path", "Print the include directory of a fetched release, for use as -I");
        command.Arguments.Add(release);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var pin = catalog.Find(result.GetValue(release) ?? catalog.DefaultRelease);
            Console.Out.WriteLine(GlobalOptions.HeaderCache(result).IncludeDirOf(pin.Release));
            return 0;
        });
        return command;
    }
}
