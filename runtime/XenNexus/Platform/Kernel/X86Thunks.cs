namespace Xen.Nexus.Platform.Kernel;

/// <summary>
/// The few x86-64 instructions C# cannot say, as machine code called through unmanaged function pointers (System V
/// calling convention: arguments in rdi, rsi, rdx, rcx, r8, r9; result in rax).
/// </summary>
public static class X86Thunks
{
    /// <summary>
    /// <c>hypercall(entry, a1..a5)</c>: moves the arguments to Xen's hypercall registers (rdi, rsi, rdx, r10, r8) and
    /// jumps to the hypercall page entry, whose <c>ret</c> returns Xen's rax to the caller.
    /// </summary>
    public static ReadOnlySpan<byte> Hypercall =>
    [
        0x48, 0x89, 0xF8, // mov rax, rdi   (the entry)
        0x48, 0x89, 0xF7, // mov rdi, rsi   (a1)
        0x48, 0x89, 0xD6, // mov rsi, rdx   (a2)
        0x48, 0x89, 0xCA, // mov rdx, rcx   (a3)
        0x4D, 0x89, 0xC2, // mov r10, r8    (a4)
        0x4D, 0x89, 0xC8, // mov r8, r9     (a5)
        0xFF, 0xE0,       // jmp rax
    ];

    /// <summary><c>wrmsr(msr, value)</c>.</summary>
    public static ReadOnlySpan<byte> WriteMsr =>
    [
        0x89, 0xF9,             // mov ecx, edi
        0x89, 0xF0,             // mov eax, esi
        0x48, 0x89, 0xF2,       // mov rdx, rsi
        0x48, 0xC1, 0xEA, 0x20, // shr rdx, 32
        0x0F, 0x30,             // wrmsr
        0xC3,                   // ret
    ];

    /// <summary><c>in(port)</c> of a byte, word or doubleword.</summary>
    public static ReadOnlySpan<byte> In(PortWidth width) => width switch
    {
        PortWidth.Byte => [0x89, 0xFA, 0x31, 0xC0, 0xEC, 0xC3],             // mov edx, edi; xor eax, eax; in al, dx; ret
        PortWidth.Word => [0x89, 0xFA, 0x31, 0xC0, 0x66, 0xED, 0xC3],       // ...; in ax, dx; ret
        _ => [0x89, 0xFA, 0xED, 0xC3],                                      // mov edx, edi; in eax, dx; ret
    };

    /// <summary><c>out(port, value)</c> of a byte, word or doubleword.</summary>
    public static ReadOnlySpan<byte> Out(PortWidth width) => width switch
    {
        PortWidth.Byte => [0x89, 0xFA, 0x89, 0xF0, 0xEE, 0xC3],             // mov edx, edi; mov eax, esi; out dx, al; ret
        PortWidth.Word => [0x89, 0xFA, 0x89, 0xF0, 0x66, 0xEF, 0xC3],       // ...; out dx, ax; ret
        _ => [0x89, 0xFA, 0x89, 0xF0, 0xEF, 0xC3],                          // ...; out dx, eax; ret
    };
}
