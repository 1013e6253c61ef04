namespace XenGen.RealXen.Commands;

/// <summary>realxen's own exit statuses (otherwise it exits with COMMAND's).</summary>
internal static class ExitCodes
{
    /// <summary>Bad arguments.</summary>
    public const int Usage = 2;

    /// <summary>The run timed out (as timeout(1)).</summary>
    public const int Timeout = 124;

    /// <summary>The machine or guest did not get to report COMMAND's status: a boot failure or realxen's own error.</summary>
    public const int Failure = 125;
}
