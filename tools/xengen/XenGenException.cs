namespace XenGen.Tool;

/// <summary>
/// A failure caused by the input or the environment (a bad file, a missing release, a checksum that does not match).
/// The command line prints its message alone, without a stack trace, so the message must name the input and the problem.
/// </summary>
public sealed class XenGenException : Exception
{
    /// <summary>Creates the error with a message that names the input and what is wrong with it.</summary>
    public XenGenException(string message) : base(message) { }

    /// <summary>Creates the error with a message and the lower-level failure that caused it.</summary>
    public XenGenException(string message, Exception inner) : base(message, inner) { }
}
