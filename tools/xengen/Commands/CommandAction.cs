using System.CommandLine;

namespace XenGen.Tool.Commands;

/// <summary>
/// Sets a command's action so that expected failures (<see cref="XenGenException"/>, file system errors) print one
/// message on stderr and exit with 1, without a stack trace.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, Func<ParseResult, int> action) =>
        command.SetAction(result =>
        {
            try
            {
                return action(result);
            }
            catch (Exception e) when (e is XenGenException or IOException or UnauthorizedAccessException)
            {
                Terminal.WriteError(e.Message);
                return 1;
            }
        });
}
