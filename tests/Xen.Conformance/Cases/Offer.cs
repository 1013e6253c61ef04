namespace Xen.Conformance.Cases;

/// <summary>
/// What the guest makes for dom0's cross-domain cases, by the keys it publishes them under: unbound ports (one for
/// dom0, one for itself) and grants (writable and read-only to dom0, one to itself, one ended before dom0 looks, one
/// that dom0 maps and the guest then tries to revoke).
/// </summary>
internal static class Offer
{
    internal const string DomainId = "domid";
    internal const string PortForDom0 = "port-for-dom0";
    internal const string PortForItself = "port-for-itself";
    internal const string GrantWritable = "gref-writable";
    internal const string GrantReadOnly = "gref-read-only";
    internal const string GrantToItself = "gref-to-itself";
    internal const string GrantEnded = "gref-ended";
    internal const string GrantToRevoke = "gref-to-revoke";
    internal const string Ready = "ready";

    /// <summary>dom0 → guest: "revoke GrantToRevoke now", then the guest's "revoked".</summary>
    internal const string Revoke = "revoke";
    internal const string Revoked = "revoked";

    /// <summary>dom0 → guest: dom0's cases on the offer are over; the guest unmasks its port for dom0, then "unmasked".</summary>
    internal const string Done = "done";
    internal const string Unmasked = "unmasked";

    /// <summary>dom0 → guest: dom0 has read the unmasked port; the guest closes its ports, then "closed".</summary>
    internal const string Close = "close";
    internal const string Closed = "closed";

    /// <summary>guest → dom0: the guest's answer lines, in chunks a XenStore value holds, and how many chunks.</summary>
    internal const string AnswerCount = "answers-count";
    internal static string AnswerChunk(int index) => $"answers-{index}";

    /// <summary>dom0 → guest: dom0 has read the closed port's bits; the guest may exit.</summary>
    internal const string Finished = "finished";

    /// <summary>The keys dom0 writes, which a guest creates first so that it owns them.</summary>
    public static readonly string[] Dom0Keys = [Revoke, Done, Close, Finished];
}
