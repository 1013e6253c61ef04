namespace Xen.Nexus.Platform;

/// <summary>What would be a processor fault on hardware: a hypercall with no hypercall page, WRMSR of an unknown MSR.</summary>
public sealed class HypervisorFaultException : Exception
{
    /// <summary>Creates the exception with a message naming the operation.</summary>
    public HypervisorFaultException(string message) : base(message)
    {
    }
}
