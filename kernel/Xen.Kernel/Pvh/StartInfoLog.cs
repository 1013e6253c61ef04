using Xen.Kernel.Machine;

namespace Xen.Kernel.Pvh;

/// <summary>Checks and logs the start info the loader passed (identity-mapped, so its address is a pointer).</summary>
public static unsafe class StartInfoLog
{
    private const int CmdlineLimit = 256;

    /// <summary>False (and logged) when the magic is wrong: then nothing else in it can be trusted.</summary>
    public static bool Check(ulong address)
    {
        var info = (HvmStartInfo*)address;
        DebugConsole.Write("pvh0: hvm_start_info at ");
        DebugConsole.WriteHex(address, 8);
        if (info->Magic != HvmStartInfo.MagicValue)
        {
            DebugConsole.Write(": bad magic ");
            DebugConsole.WriteHex(info->Magic, 8);
            DebugConsole.Write('\n');
            return false;
        }
        DebugConsole.Write(" version ");
        DebugConsole.WriteDecimal(info->Version);
        DebugConsole.Write(", ");
        DebugConsole.WriteDecimal(info->NrModules);
        DebugConsole.Write(" modules, memory map of ");
        DebugConsole.WriteDecimal(info->Version >= 1 ? info->MemmapEntries : 0);
        DebugConsole.Write(" entries, cmdline \"");
        if (info->CmdlinePaddr != 0)
        {
            var cmdline = (byte*)info->CmdlinePaddr;
            for (var i = 0; i < CmdlineLimit && cmdline[i] != 0; i++)
                DebugConsole.Write((char)cmdline[i]);
        }
        DebugConsole.WriteLine("\"");
        return true;
    }
}
