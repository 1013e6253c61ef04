namespace Xen.Kernel.Machine;

/// <summary>
/// The kernel's only memory beyond its image's variables: a few pages the entry stub reserves in its bss, handed
/// out once each and never returned (shared info, grant table frames, the IDT, the store's buffers).
/// </summary>
public static unsafe class BootPages
{
    /// <summary>x86's page size.</summary>
    public const ulong PageSize = 4096;

    private static int s_used;

    /// <summary>A zeroed page, identity-mapped (its address is its guest-physical address); halts when none are left.</summary>
    public static ulong Allocate()
    {
        if (s_used >= Cpu.BootPageCount())
        {
            Log.WriteLine("xen-kernel: fatal: out of boot pages");
            Cpu.Halt();
        }
        var page = Cpu.BootPagesAddress() + (ulong)s_used++ * PageSize;
        var bytes = (ulong*)page;
        for (var i = 0; i < (int)(PageSize / 8); i++)
            bytes[i] = 0;
        return page;
    }
}
