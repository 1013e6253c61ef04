using Xen.Nexus.Events;
using Xen.Nexus.Grants;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Init;

/// <summary>
/// The xen(4) nexus of an HVM/PVH guest: <see cref="Attach"/> initialises Xen in OpenBSD's order, one log line per
/// step, and on a failure releases what the earlier steps took and rethrows the error (a hypercall error names the
/// operation and Xen's errno). Then it holds the event channels and the grant table.
/// </summary>
public sealed unsafe class XenNexus : IDisposable
{
    private readonly List<INexusInitStep> attached = new();

    private XenNexus(IHypervisor hypervisor, NexusOptions options)
    {
        Hypervisor = hypervisor;
        Options = options;
    }

    /// <summary>The core steps, in order: OpenBSD's xen_attach up to its grant tables.</summary>
    public static IReadOnlyList<INexusInitStep> CoreSteps { get; } =
    [
        new DetectXenStep(),
        new HypercallPageStep(),
        new FeaturesStep(),
        new SharedInfoStep(),
        new CallbackVectorStep(),
        new EventChannelsStep(),
        new GrantTableStep(),
    ];

    /// <summary>The machine.</summary>
    public IHypervisor Hypervisor { get; }

    /// <summary>The options attach ran with.</summary>
    public NexusOptions Options { get; }

    /// <summary>The first of Xen's CPUID leaves (0x40000000, or higher when Xen also offers Viridian).</summary>
    public uint CpuidBase { get; internal set; }

    /// <summary>Xen's version from CPUID base+1.</summary>
    public System.Version? XenVersion { get; internal set; }

    /// <summary>The hypercall plumbing (argument pages, named errors).</summary>
    public XenHypercalls Hypercalls { get; internal set; } = null!;

    /// <summary>The first frame of the hypercall page(s).</summary>
    public ulong HypercallPageGfn { get; internal set; }

    /// <summary>How many hypercall pages Xen filled.</summary>
    public int HypercallPages { get; internal set; }

    /// <summary>The <c>XENFEAT_*</c> bits of submap 0.</summary>
    public uint Features { get; internal set; }

    /// <summary>Whether Xen offers feature <paramref name="xenfeat"/> (a <c>XENFEAT_*</c> number).</summary>
    public bool HasFeature(int xenfeat) => xenfeat is >= 0 and < 32 && (Features & (1u << xenfeat)) != 0;

    /// <summary>The frame shared info is mapped at.</summary>
    public ulong SharedInfoGfn { get; internal set; }

    /// <summary>Shared info, as this process sees it.</summary>
    public Xen.Abi.SharedInfo* SharedInfo { get; internal set; }

    /// <summary>The callback vector, when Xen offers <c>XENFEAT_hvm_callback_vector</c>.</summary>
    public byte? CallbackVector { get; internal set; }

    /// <summary>
    /// How often the upcall is polled when Xen offers no callback vector (<see cref="NexusOptions.UpcallPollInterval"/>);
    /// null when the vector delivers events.
    /// </summary>
    public TimeSpan? UpcallPollInterval { get; internal set; }

    internal UpcallPoller? Poller { get; set; }

    /// <summary>The event channels.</summary>
    public EventChannels? EventChannels { get; internal set; }

    /// <summary>The grant table (granting side).</summary>
    public GrantTable? GrantTable { get; internal set; }

    /// <summary>Mapping and copying others' grants (backend side).</summary>
    public GrantMapper? GrantMapper { get; internal set; }

    /// <summary>
    /// Frames Xen keeps using for good and the nexus never returns, even after a failed attach or
    /// <see cref="Dispose"/>: registered vcpu_info pages and FIFO control blocks and event array pages.
    /// </summary>
    public int RetainedFrames { get; internal set; }

    /// <summary>
    /// The key of a failed attach's exception <see cref="Exception.Data"/> giving its <see cref="RetainedFrames"/>
    /// (an int): what Xen kept, all else was released.
    /// </summary>
    public const string RetainedFramesKey = "Xen.Nexus.RetainedFrames";

    /// <summary>The steps that ran, in order.</summary>
    public IReadOnlyList<INexusInitStep> AttachedSteps => attached;

    /// <summary>Runs the core steps, then each <see cref="NexusPhase"/>'s steps of <paramref name="options"/>.</summary>
    /// <exception cref="XenHypercallException">A step's hypercall failed: nothing is left half-initialised.</exception>
    /// <exception cref="XenNotFoundException">Not on Xen.</exception>
    public static XenNexus Attach(IHypervisor hypervisor, NexusOptions? options = null)
    {
        var nexus = new XenNexus(hypervisor, options ?? new NexusOptions());
        var steps = new List<INexusInitStep>(CoreSteps);
        foreach (var phase in Enum.GetValues<NexusPhase>())
        {
            if (nexus.Options.Extensions.TryGetValue(phase, out var extra))
                steps.AddRange(extra);
        }
        foreach (var step in steps)
        {
            try
            {
                step.Attach(nexus);
            }
            catch (Exception e)
            {
                nexus.Log($"{nexus.Options.DeviceName}: {step.Name}: {e.Message}");
                nexus.DetachAll();
                e.Data[RetainedFramesKey] = nexus.RetainedFrames;
                throw;
            }
            nexus.attached.Add(step);
        }
        return nexus;
    }

    /// <summary>Writes one log line.</summary>
    public void Log(string line) => Options.Log?.Invoke(line);

    /// <summary>The callback vector's handler.</summary>
    internal void OnUpcall(int vcpu) => EventChannels?.Upcall(vcpu);

    /// <summary>
    /// Detaches every attached step in reverse order. A step that fails is logged and the others are detached all the
    /// same (a XenStore client left running on a ring page that goes away would read freed memory); the first failure
    /// is rethrown at the end.
    /// </summary>
    private void DetachAll()
    {
        Exception? first = null;
        for (var i = attached.Count - 1; i >= 0; i--)
        {
            try
            {
                attached[i].Detach(this);
            }
            catch (Exception e)
            {
                Log($"{Options.DeviceName}: detach {attached[i].Name}: {e.Message}");
                first ??= e;
            }
        }
        attached.Clear();
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>Detaches every step in reverse order, all of them even when one fails (the first failure is rethrown).</summary>
    public void Dispose() => DetachAll();

    /// <summary>
    /// The machine has stopped (the domain shut down or was destroyed): asks Xen for nothing, and lets go of what this
    /// process holds for the steps (<see cref="IAbandonableStep"/>), such as the XenStore client's thread on the ring
    /// page, before that memory goes away.
    /// </summary>
    public void Abandon()
    {
        for (var i = attached.Count - 1; i >= 0; i--)
        {
            if (attached[i] is IAbandonableStep step) step.Abandon(this);
        }
        attached.Clear();
    }
}
