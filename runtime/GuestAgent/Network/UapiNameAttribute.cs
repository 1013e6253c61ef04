namespace Xen.GuestAgent.Network;

/// <summary>
/// The C name in the Linux uapi headers of a constant, struct or field written out here by hand; a test compiles
/// every one of them against those headers with clang (<c>_Static_assert</c> on value, size and offset).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Struct)]
internal sealed class UapiNameAttribute(string name) : Attribute
{
    /// <summary>The C spelling (<c>RTM_NEWADDR</c>, <c>struct nlmsghdr</c>, <c>nlmsg_len</c>).</summary>
    public string Name { get; } = name;

    /// <summary>On a struct: only its first fields are written here (the C struct goes on), so its size is at least ours.</summary>
    public bool IsPrefix { get; init; }
}
