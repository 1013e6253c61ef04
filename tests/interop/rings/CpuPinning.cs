using System.Globalization;
using System.Runtime.InteropServices;

namespace XenGen.Interop;

/// <summary>
/// Pins the calling thread to one CPU when an environment variable names it, as ring_peer.c does for its ends. The
/// ring benchmarks set <see cref="FrontVariable"/> and <see cref="BackVariable"/> for the C and the C# ends alike, so
/// that the scheduler never puts both ends on one CPU; the tests leave them unset.
/// </summary>
public static partial class CpuPinning
{
    /// <summary>The CPU of the front end's thread.</summary>
    public const string FrontVariable = "RING_PEER_FRONT_CPU";

    /// <summary>The CPU of the back end's thread.</summary>
    public const string BackVariable = "RING_PEER_BACK_CPU";

    /// <summary>Pins the calling thread to the CPU in <paramref name="variable"/>, if it is set.</summary>
    /// <exception cref="InvalidOperationException">The variable is not a CPU number, or the kernel refused the affinity.</exception>
    public static unsafe void PinFromEnvironment(string variable)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value) || !OperatingSystem.IsLinux()) return;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int cpu) || cpu >= 64)
        {
            throw new InvalidOperationException($"{variable}={value}: not a CPU number below 64");
        }
        ulong mask = 1UL << cpu;
        // pid 0 is the calling thread, not the whole process.
        if (SchedSetAffinity(0, sizeof(ulong), &mask) != 0)
        {
            throw new InvalidOperationException($"{variable}={value}: sched_setaffinity failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static unsafe partial int SchedSetAffinity(int pid, nint size, ulong* mask);
}
