using System.Text;

namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_ERROR</c>, the reply to any failed request: the errno name of a row of <c>xsd_errors</c>, NUL-terminated.</summary>
public static class XsErrorMessage
{
    /// <summary>Writes the reply.</summary>
    /// <param name="writer">A writer for an <c>XS_ERROR</c> frame.</param>
    /// <param name="error">The error; not the default value.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncode(ref XsMessageWriter writer, XsError error) =>
        error.IsError ? writer.AppendString(error.Name!) : throw new ArgumentException("XS_ERROR needs an error", nameof(error));

    /// <summary>Reads the reply: the name (its NUL may be missing), looked up in the generated error table.</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="error">The error.</param>
    /// <param name="name">The name as sent, for messages about a name the table lacks.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether the name is in the table.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out XsError error, out string name, out string problem)
    {
        name = Encoding.ASCII.GetString(XsDecoding.FirstString(payload));
        return XsError.TryFromName(name, out error)
            ? XsDecoding.Valid(out problem)
            : XsDecoding.Malformed(out problem, $"names '{name}', which io/xs_wire.h's xsd_errors does not have");
    }
}
