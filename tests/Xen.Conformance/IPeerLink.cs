namespace Xen.Conformance;

/// <summary>How dom0 and the guest tell each other the ports and grants they made (XenStore on real Xen).</summary>
public interface IPeerLink
{
    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> for the other side.</summary>
    Task PublishAsync(string key, string value, CancellationToken cancel);

    /// <summary>The value the other side set for <paramref name="key"/>, once it has; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    Task<string> WaitForAsync(string key, TimeSpan timeout, CancellationToken cancel);
}
