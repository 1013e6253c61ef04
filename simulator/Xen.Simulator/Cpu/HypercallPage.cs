using Xen.Simulator.Memory;

namespace Xen.Simulator.Cpu;

/// <summary>
/// The hypercall page Xen writes on WRMSR: one 32-byte stub per hypercall number, as Xen's Intel variant lays it
/// out (<c>mov $nr, %eax; vmcall; ret</c>), the rest int3. The simulator never executes it; the bytes let a test see
/// that the page was written where the guest asked.
/// </summary>
internal static unsafe class HypercallPage
{
    /// <summary>Bytes per stub.</summary>
    internal const int StubSize = 32;

    private const byte MovEaxImm32 = 0xb8;
    private const byte Int3 = 0xcc;
    private const byte Ret = 0xc3;
    private static ReadOnlySpan<byte> Vmcall => [0x0f, 0x01, 0xc1];

    /// <summary>Writes the page into the frame at <paramref name="page"/>.</summary>
    internal static void Write(byte* page)
    {
        var bytes = new Span<byte>(page, Frames.Size);
        bytes.Fill(Int3);
        for (var nr = 0; nr < Frames.Size / StubSize; nr++)
        {
            var stub = bytes.Slice(nr * StubSize, StubSize);
            stub[0] = MovEaxImm32;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(stub[1..], nr);
            Vmcall.CopyTo(stub[5..]);
            stub[8] = Ret;
        }
    }

    /// <summary>The stub of hypercall <paramref name="nr"/> as Xen would have written it (for tests).</summary>
    public static byte[] Stub(int nr)
    {
        var stub = new byte[9];
        stub[0] = MovEaxImm32;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(stub.AsSpan(1), nr);
        Vmcall.CopyTo(stub.AsSpan(5));
        stub[8] = Ret;
        return stub;
    }
}
