using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// The hypercall page, as HypercallPageStep: CPUID base+2 gives the page count and the MSR; writing a page's
/// address | index to the MSR has Xen fill it with one 32-byte stub per hypercall number.
/// </summary>
public static class Hypercalls
{
    /// <summary>Each hypercall's stub in the page is 32 bytes (Xen's hypercall page layout; not in its public headers).</summary>
    private const ulong EntrySize = 32;

    private static ulong s_page;

    public static bool Attach(uint cpuidBase)
    {
        var leaf = Cpu.Cpuid(cpuidBase + 2);
        if (leaf.Eax < 1)
        {
            Log.WriteLine("xen0: hypercall page: CPUID reports no hypercall pages");
            return false;
        }
        // One page holds every hypercall the kernel makes; Xen asks for more only for numbers above 127.
        var page = Cpu.HypercallPageAddress();
        Cpu.WriteMsr(leaf.Ebx, page);
        s_page = page;
        Log.Write("xen0: hypercall page at gfn ");
        Log.WriteHex(page >> 12, 5);
        Log.Write(" (msr ");
        Log.WriteHex(leaf.Ebx, 8);
        Log.WriteLine(", 1 page)");
        return true;
    }

    /// <summary>Hypercall <paramref name="op"/> through its stub in the page; Xen's result (a negative errno on failure).</summary>
    public static long Call(uint op, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0) => Cpu.Hypercall(s_page + op * EntrySize, a1, a2, a3, 0, 0);

    /// <summary>Whether <paramref name="rc"/> is an error; if so it is logged with the operation's name, as the nexus names them.</summary>
    public static bool Failed(string operation, long rc)
    {
        if (rc == 0)
            return false;
        Log.Write("xen0: ");
        Log.Write(operation);
        Log.Write(": error ");
        Log.WriteDecimal((uint)-rc);
        Log.Write('\n');
        return true;
    }
}
