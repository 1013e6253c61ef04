using Xen.Nexus.Init;
using Xen.Nexus.Store;

namespace Xen.Nexus.Control;

/// <summary>
/// The <see cref="NexusPhase.FeatureKeys"/> step: <c>control/feature-&lt;request&gt; = 1</c> for each request
/// <see cref="ControlWatchStep"/> acts on (xenstore-paths: the toolstack only sends what the guest advertises).
/// </summary>
public sealed class FeatureKeysStep(Func<NexusStore> store) : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "feature keys";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var s = store();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var names = new List<string>();
        foreach (var (request, _, hasKey) in ShutdownRequests.Supported)
        {
            if (!hasKey) continue;
            s.Client.WriteAsync(s.PathOf($"control/feature-{request}"), "1", timeout.Token).GetAwaiter().GetResult();
            names.Add(request);
        }
        nexus.Log($"{nexus.Options.DeviceName}: control features: {string.Join(", ", names)}");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        // The keys describe the guest; a later attach writes them again.
    }
}
