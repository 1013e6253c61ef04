namespace Xen.Drivers.Netback;

/// <summary>How a backend made for tests breaks the protocol, to prove a frontend does not trust it.</summary>
public enum HostileMode
{
    /// <summary>An honest backend.</summary>
    None,

    /// <summary>tx responses name an id the frontend never sent; rx responses come in a slot not their own.</summary>
    LyingIds,

    /// <summary>The response producer is published a whole ring ahead of what was answered.</summary>
    ProducerOverflow,

    /// <summary>
    /// An rx response claims bytes beyond its page, and the backend tries to write into the frontend's read-only tx
    /// buffers (which Xen must refuse).
    /// </summary>
    GrantAbuse,

    /// <summary>Thousands of notifications on every event channel with nothing behind them.</summary>
    EventStorm,
}
