namespace Xen.Drivers.Blkback;

/// <summary>How a backend misbehaves on purpose, to prove a frontend does not trust it.</summary>
public enum BlkbackHostility
{
    /// <summary>A correct backend.</summary>
    None,

    /// <summary>Answers with an id no request has.</summary>
    LyingIds,

    /// <summary>Answers a request, then answers it again (an id already completed).</summary>
    CompletedIds,

    /// <summary>Publishes a response producer more than a ring's worth past the frontend's consumer.</summary>
    ProducerOverflow,

    /// <summary>Answers with an operation other than the request's.</summary>
    MismatchedOperation,

    /// <summary>
    /// Before answering each request, tries grants it was not given for that use: references never granted,
    /// a read-only grant mapped writable or copied into, a copy running past a page's end. Counts the refusals.
    /// </summary>
    GrantAbuse,

    /// <summary>Notifies the frontend's event channel a burst of times around every response.</summary>
    EventStorm,
}
