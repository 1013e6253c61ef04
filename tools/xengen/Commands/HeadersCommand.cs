using System.CommandLine;

namespace XenGen.Tool.Commands;

/// <summary><c>xengen headers</c>: the group of header cache commands.</summary>
internal static class HeadersCommand
{
    public static Command Create()
    {
        var command = new Command("headers", "Pin, fetch and locate the Xen public headers of releases (kept in a cache, never committed)");
        command.Subcommands.Add(HeadersFetchCommand.Create());
        command.Subcommands.Add(HeadersPathCommand.Create());
        command.Subcommands.Add(HeadersListCommand.Create());
        command.Subcommands.Add(HeadersAddCommand.Create());
        return command;
    }

    /// <summary>The optional release argument shared by the subcommands; it defaults to the catalog's default release.</summary>
    public static Argument<string?> ReleaseArgument(string description) => new("release")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
    };
}
