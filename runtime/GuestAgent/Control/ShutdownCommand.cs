using System.Diagnostics;

namespace Xen.GuestAgent.Control;

/// <summary>
/// Runs the configured command for a shutdown request: <c>/bin/sh -c 'COMMAND "$1"' xen-guest-agent ACTION</c>, so
/// <c>systemctl</c> becomes <c>systemctl poweroff</c> and the action is never parsed by the shell.
/// </summary>
public sealed class ShutdownCommand(string command)
{
    /// <summary>The command, as configured.</summary>
    public string Command { get; } = command;

    /// <summary>Runs it for <paramref name="action"/> and waits for it.</summary>
    /// <returns>Its exit status.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The shell cannot be started.</exception>
    public async Task<int> RunAsync(string action, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Command + " \"$1\"");
        info.ArgumentList.Add("xen-guest-agent");
        info.ArgumentList.Add(action);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }
}
