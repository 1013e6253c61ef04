using Spectre.Console;

namespace XenGen.Tool.Commands;

/// <summary>Spectre consoles for stdout and stderr. Redirected output is not wrapped, so it stays greppable.</summary>
internal static class Terminal
{
    public static IAnsiConsole Out => Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error => Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Writes <c>error: message</c> to stderr; the message is plain text, not markup.</summary>
    public static void WriteError(string message) =>
        Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
            console.Profile.Width = 1000;
        return console;
    }
}
