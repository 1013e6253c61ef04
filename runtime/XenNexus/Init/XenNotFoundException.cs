namespace Xen.Nexus.Init;

/// <summary>The machine is not a Xen guest (no Xen CPUID signature), or Xen's leaves are incomplete.</summary>
public sealed class XenNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XenNotFoundException(string message) : base(message)
    {
    }
}
