namespace Xen.GuestAgent.Tool;

/// <summary>What the command line asked for.</summary>
internal sealed record AgentSettings(
    string? Socket, string? Xenbus, string Layout, TimeSpan MemoryInterval, string? ShutdownCommand, bool Once, bool DryRun);
