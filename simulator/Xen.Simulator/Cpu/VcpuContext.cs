namespace Xen.Simulator.Cpu;

/// <summary>Xen's per-vCPU state for events: where its vcpu_info lives, its upcall vector and its VIRQ bindings.</summary>
internal sealed unsafe class VcpuContext
{
    internal VcpuContext(int id, VcpuInfo* legacy)
    {
        Id = id;
        Info = legacy;
        VirqPorts = new uint[XenConst.NrVirqs];
    }

    internal int Id { get; }

    /// <summary>The vcpu_info Xen updates: shared_info.vcpu_info[id], or the area VCPUOP_register_vcpu_info named; null if neither exists.</summary>
    internal VcpuInfo* Info { get; set; }

    /// <summary>Whether VCPUOP_register_vcpu_info moved it (it can be moved only once).</summary>
    internal bool InfoRegistered { get; set; }

    /// <summary>The per-vCPU vector set by HVMOP_set_evtchn_upcall_vector (0: none).</summary>
    internal byte UpcallVector { get; set; }

    /// <summary>virq_to_evtchn: the port bound to each VIRQ on this vCPU (0: none).</summary>
    internal uint[] VirqPorts { get; }
}
