using Xen.Kernel.Console;

namespace Xen.Kernel.Machine;

/// <summary>
/// The kernel's log: always the debug console on I/O port 0xe9 (Xen prints what a guest writes there in its own
/// console, `xl dmesg`, with guest_loglvl=all; QEMU on its -debugcon), one byte per OUT, nothing buffered, so the
/// log survives any crash; and, once <see cref="XenConsole"/> is attached, the PV console's ring too (a line at a
/// time), which dom0's xenconsoled reads.
/// </summary>
public static class Log
{
    /// <summary>Bochs' port, which both Xen (hvm/hvm.c) and QEMU (debugcon) took over; not in Xen's public headers.</summary>
    public const ushort Port = 0xe9;

    private static bool s_portOnly;

    /// <summary>From now on the port only: a fatal error's report must not depend on the ring code that may have failed.</summary>
    public static void PortOnly() => s_portOnly = true;

    /// <summary>One character on the port, and into the PV console's line when it is up.</summary>
    public static void Write(char c)
    {
        Cpu.OutByte(Port, (byte)c);
        if (!s_portOnly)
            XenConsole.Write(c);
    }

    public static void Write(string s)
    {
        for (var i = 0; i < s.Length; i++)
            Write(s[i]);
    }

    public static void WriteLine(string s)
    {
        Write(s);
        Write('\n');
    }

    /// <summary>0x, then <paramref name="digits"/> lower-case hex digits.</summary>
    public static void WriteHex(ulong value, int digits)
    {
        Write("0x");
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            var nibble = (uint)(value >> shift) & 0xf;
            Write((char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }
    }

    /// <summary>0x, then as few lower-case hex digits as the value needs (C#'s "x" format).</summary>
    public static void WriteHexShort(ulong value)
    {
        var digits = 1;
        while (digits < 16 && (value >> (digits * 4)) != 0)
            digits++;
        WriteHex(value, digits);
    }

    public static void WriteDecimal(uint value)
    {
        if (value >= 10)
            WriteDecimal(value / 10);
        Write((char)('0' + value % 10));
    }

    /// <summary>A register's four bytes as the characters CPUID packs into it (vendor strings), low byte first.</summary>
    public static void WriteRegisterChars(uint register)
    {
        for (var i = 0; i < 4; i++)
            Write((char)((register >> (8 * i)) & 0xff));
    }
}
