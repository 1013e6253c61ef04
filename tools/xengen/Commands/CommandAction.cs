using System.CommandLine;

namespace XenGen.Tool.Commands;

/// <summary>
/// Sets a command's action so that expected failures (<see cref="XenGenException"/>, file system errors) print one
/// message on stderr and exit with <c>errorExitCode</c> (1 unless the command uses 1 for an outcome of its own),
/// without a stack trace.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, Func<ParseResult, int> action, int errorExitCode = 1) =>
        command.SetAction(result =>
        {
            try
            {
                return action(result);
            }
            catch (Exception e) when (e is XenGenException or IOException or UnauthorizedAccessException)
            {
                Terminal.WriteError(e.Message);
                return errorExitCode;
            }
        });
}
