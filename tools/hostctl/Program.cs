namespace Xen.XenStore.Hostctl;

/// <summary>The hostctl command line.</summary>
public static class Program
{
    /// <summary>Runs hostctl.</summary>
    /// <param name="args"><c>[-qt] [-f device] [-i input] [-o output] key [value]</c>.</param>
    /// <returns>0 on success, 1 on failure.</returns>
    public static Task<int> Main(string[] args) => Hostctl.RunAsync(args, Console.Out, Console.Error);
}
