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
        Log.Write("pvh0: hvm_start_info at ");
        Log.WriteHex(address, 8);
        if (info->Magic != HvmStartInfo.MagicValue)
        {
            Log.Write(": bad magic ");
            Log.WriteHex(info->Magic, 8);
            Log.Write('\n');
            return false;
        }
        Log.Write(" version ");
        Log.WriteDecimal(info->Version);
        Log.Write(", ");
        Log.WriteDecimal(info->NrModules);
        Log.Write(" modules, memory map of ");
        Log.WriteDecimal(info->Version >= 1 ? info->MemmapEntries : 0);
        Log.Write(" entries, cmdline \"");
        if (info->CmdlinePaddr != 0)
        {
            var cmdline = (byte*)info->CmdlinePaddr;
            for (var i = 0; i < CmdlineLimit && cmdline[i] != 0; i++)
                Log.Write((char)cmdline[i]);
        }
        Log.WriteLine("\"");
        return true;
    }
}
