namespace Xen.Simulator;

/// <summary>How a domain stopped: the SCHEDOP_shutdown reason (SHUTDOWN_poweroff, reboot, suspend, crash, ...) and the vCPU that asked.</summary>
public readonly record struct ShutdownRecord(uint Reason, int Vcpu);
