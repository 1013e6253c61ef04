namespace Xen.Nexus.Tests.Support;

public static class NexusExtensions
{
    public static string[] CoreStepNames(this XenNexus nexus) => nexus.AttachedSteps.Select(s => s.Name).ToArray();
}
