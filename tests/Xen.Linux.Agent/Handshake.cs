namespace Xen.Linux.Agent;

/// <summary>What the guest and dom0 tell each other through the guest's <c>data/agent-check</c> in XenStore, and the bytes they write.</summary>
internal static class Handshake
{
    /// <summary>Under the guest's home; libxl lets a guest write <c>data/</c>.</summary>
    public const string Folder = "data/agent-check";

    public const int Pages = 2;

    /// <summary>What dom0 writes at the start of the guest's first granted page through its mapping.</summary>
    public static readonly byte[] Dom0Reply = "dom0 wrote this through gntdev"u8.ToArray();

    /// <summary>What dom0 writes into the guest's second page with a grant copy, at <see cref="CopyOffset"/>.</summary>
    public static readonly byte[] Dom0Copy = "dom0 copied this with GNTTABOP_copy"u8.ToArray();

    public const int CopyOffset = 300;

    /// <summary>The guest's fill of byte <paramref name="i"/> of its pages.</summary>
    public static byte GuestByte(int i) => (byte)(i * 7 + 3);

    /// <summary>Polls <paramref name="condition"/> until it holds, <paramref name="timeout"/> passes or <paramref name="giveUp"/> says it never will.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> condition, TimeSpan timeout, Func<bool> giveUp, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !giveUp())
        {
            if (await condition().ConfigureAwait(false)) return true;
            await Task.Delay(200, cancel).ConfigureAwait(false);
        }
        return false;
    }
}
