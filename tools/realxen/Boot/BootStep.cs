namespace XenGen.RealXen.Boot;

/// <summary>The steps of a realxen boot, in order; a failed boot names the one it was in.</summary>
internal enum BootStep
{
    /// <summary>QEMU's firmware loading Xen (nothing from Xen yet).</summary>
    Firmware,
    /// <summary>Xen booting, up to "LOADING DOMAIN 0".</summary>
    Xen,
    /// <summary>Xen building dom0 and the dom0 kernel booting, up to the initramfs's init.</summary>
    Dom0Kernel,
    /// <summary>Loading modules: the root's (virtio, 9p, overlay) in the initramfs, then Xen's in dom0.</summary>
    Modules,
    /// <summary>Mounting the host's root over 9p with the overlay, and the exchange folder.</summary>
    Root,
    /// <summary>xenstored, xen-init-dom0, xenconsoled and the guests' bridge.</summary>
    Xenstored,
    /// <summary>COMMAND running.</summary>
    Command,
}

/// <summary>The names of <see cref="BootStep"/> as realxen prints them and the init scripts send them.</summary>
internal static class BootSteps
{
    /// <summary>The step's name: firmware, Xen, dom0 kernel, modules, root, xenstored, command.</summary>
    public static string Name(this BootStep step) => step switch
    {
        BootStep.Firmware => "firmware",
        BootStep.Xen => "Xen",
        BootStep.Dom0Kernel => "dom0 kernel",
        BootStep.Modules => "modules",
        BootStep.Root => "root",
        BootStep.Xenstored => "xenstored",
        BootStep.Command => "command",
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    /// <summary>The step a script's marker names (the one-word names: modules, root, xenstored, command).</summary>
    public static BootStep? Parse(string name) => name switch
    {
        "modules" => BootStep.Modules,
        "root" => BootStep.Root,
        "xenstored" => BootStep.Xenstored,
        "command" => BootStep.Command,
        _ => null,
    };
}
