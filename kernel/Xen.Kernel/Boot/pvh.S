/*
 * The PVH entry: Xen (and QEMU's -kernel) start the image at the address of the XEN_ELFNOTE_PHYS32_ENTRY note in
 * 32-bit protected mode, paging off, %ebx = guest-physical address of the hvm_start_info. We identity-map the
 * first 4 GiB with 2 MiB pages, enable SSE (the compiled C# uses it), enter long mode and call the C# entry
 * XenKernelMain(startInfo) on a stack of our own. The helpers below are what C# cannot say itself.
 */
#include <xen/elfnote.h>

/* x86 architectural bits (not Xen's) */
.set CR0_PE,          1 << 0
.set CR0_MP,          1 << 1
.set CR0_EM,          1 << 2
.set CR0_PG,          1 << 31
.set CR4_PAE,         1 << 5
.set CR4_OSFXSR,      1 << 9
.set CR4_OSXMMEXCPT,  1 << 10
.set MSR_EFER,        0xc0000080
.set EFER_LME,        1 << 8
.set PTE_PRESENT_RW,  0x3
.set PTE_LARGE,       0x80
.set LARGE_PAGE,      0x200000
.set PD_COUNT,        4             /* 4 page directories x 512 x 2 MiB = 4 GiB */
.set STACK_SIZE,      0x10000
.set BOOT_PAGES,      16            /* shared info, grant frames, IDT, store buffers: Machine/BootPages */
.set CODE64,          gdt_code64 - gdt
.set DATA,            gdt_data - gdt

        .section .note.Xen, "a", @note
        .balign 4
        .long 4                       /* name size: "Xen\0" */
        .long 4                       /* descriptor size: a 32-bit physical address */
        .long XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .long pvh_start32

        .section .text.boot, "ax"
        .code32
        .globl pvh_start32
pvh_start32:
        cli
        cld
        mov     %ebx, %esi            /* hvm_start_info, the first argument later */

        /* Page tables: zero them, one PML4 entry, PD_COUNT PDPT entries, 2 MiB pages. */
        mov     $page_tables, %edi
        xor     %eax, %eax
        mov     $((2 + PD_COUNT) * 4096 / 4), %ecx
        rep stosl
        mov     $pdpt + PTE_PRESENT_RW, %eax
        mov     %eax, pml4
        mov     $pdpt, %edi
        mov     $pd + PTE_PRESENT_RW, %eax
        mov     $PD_COUNT, %ecx
1:      mov     %eax, (%edi)
        add     $4096, %eax
        add     $8, %edi
        loop    1b
        mov     $pd, %edi
        mov     $(PTE_LARGE | PTE_PRESENT_RW), %eax
        mov     $(PD_COUNT * 512), %ecx
2:      mov     %eax, (%edi)
        add     $LARGE_PAGE, %eax
        add     $8, %edi
        loop    2b

        mov     %cr4, %eax
        or      $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
        mov     %eax, %cr4
        mov     $pml4, %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        wrmsr
        mov     %cr0, %eax
        and     $~CR0_EM, %eax
        or      $(CR0_PG | CR0_PE | CR0_MP), %eax
        mov     %eax, %cr0

        lgdt    gdt_pointer
        ljmp    $CODE64, $long_mode

        .code64
long_mode:
        mov     $DATA, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        lea     stack_top(%rip), %rsp
        xor     %ebp, %ebp
        mov     %esi, %edi            /* zero-extends: XenKernelMain(ulong startInfo) */
        call    XenKernelMain
        /* fall through: the C# entry returned */
        .globl xen_halt
xen_halt:
        cli
3:      hlt
        jmp     3b

/* void xen_cpuid(uint leaf, uint subleaf, uint* eax_ebx_ecx_edx) */
        .text
        .globl xen_cpuid
xen_cpuid:
        push    %rbx
        mov     %edi, %eax
        mov     %esi, %ecx
        mov     %rdx, %r8
        cpuid
        mov     %eax, 0(%r8)
        mov     %ebx, 4(%r8)
        mov     %ecx, 8(%r8)
        mov     %edx, 12(%r8)
        pop     %rbx
        ret

/* void xen_outb(ushort port, byte value) */
        .globl xen_outb
xen_outb:
        mov     %edi, %edx
        mov     %esi, %eax
        outb    %al, %dx
        ret

/* void xen_outl(ushort port, uint value) */
        .globl xen_outl
xen_outl:
        mov     %edi, %edx
        mov     %esi, %eax
        outl    %eax, %dx
        ret

/* void xen_wrmsr(uint msr, ulong value) */
        .globl xen_wrmsr
xen_wrmsr:
        mov     %edi, %ecx
        mov     %esi, %eax
        mov     %rsi, %rdx
        shr     $32, %rdx
        wrmsr
        ret

/* ulong xen_hypercall_page_address(void): the page Xen fills when its address is written to the MSR */
        .globl xen_hypercall_page_address
xen_hypercall_page_address:
        lea     hypercall_page(%rip), %rax
        ret

/* long xen_hypercall(ulong entry, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5): System V arguments into
   Xen's hypercall registers (rdi, rsi, rdx, r10, r8), then the page's entry for the operation; result in rax */
        .globl xen_hypercall
xen_hypercall:
        mov     %rdi, %rax
        mov     %rsi, %rdi
        mov     %rdx, %rsi
        mov     %rcx, %rdx
        mov     %r8, %r10
        mov     %r9, %r8
        call    *%rax
        ret

/* ulong xen_boot_pages(void): the first of BOOT_PAGES zeroed, page-aligned pages (Machine/BootPages hands them out) */
        .globl xen_boot_pages
xen_boot_pages:
        lea     boot_pages(%rip), %rax
        ret

/* int xen_boot_page_count(void) */
        .globl xen_boot_page_count
xen_boot_page_count:
        mov     $BOOT_PAGES, %eax
        ret

/* void xen_lidt(void* idtr): idtr is the 10-byte limit:base */
        .globl xen_lidt
xen_lidt:
        lidt    (%rdi)
        ret

/* void xen_interrupt_window(void): interrupts on for one instruction after sti's shadow, then off again. Only here
   can an interrupt arrive, inside a call, so the handler clobbers nothing a caller keeps (SSE registers included). */
        .globl xen_interrupt_window
xen_interrupt_window:
        sti
        nop
        cli
        ret

/* ulong xen_rdtsc(void) */
        .globl xen_rdtsc
xen_rdtsc:
        rdtsc
        shl     $32, %rdx
        or      %rdx, %rax
        ret

/* ulong xen_xchg64(ulong* p, ulong value): the old value, atomically */
        .globl xen_xchg64
xen_xchg64:
        mov     %rsi, %rax
        xchg    %rax, (%rdi)
        ret

/* bool xen_test_and_clear_bit(ulong* bitmap, uint bit): lock btr, the old bit */
        .globl xen_test_and_clear_bit
xen_test_and_clear_bit:
        mov     %esi, %esi
        xor     %eax, %eax
        lock btr %rsi, (%rdi)
        setc    %al
        ret

/* void xen_memory_barrier(void) */
        .globl xen_memory_barrier
xen_memory_barrier:
        mfence
        ret

/* ulong xen_exception_stub(uint vector): the entry of CPU exception vector (0..31) for the IDT */
        .globl xen_exception_stub
xen_exception_stub:
        mov     %edi, %eax
        shl     $4, %rax
        lea     exception_stubs(%rip), %rdx
        add     %rdx, %rax
        ret

/* ulong xen_upcall_stub(void): the entry of the event-channel upcall vector for the IDT */
        .globl xen_upcall_stub
xen_upcall_stub:
        lea     upcall_entry(%rip), %rax
        ret

/* One 16-byte stub per CPU exception: its vector, then the common path to XenKernelFault(vector, frame), which names
   it and halts. An error code, when the CPU pushed one, is in the frame under the vector. */
        .balign 16
exception_stubs:
        .set    vector, 0
        .rept   32
        .balign 16
        push    $vector
        jmp     exception_common
        .set    vector, vector + 1
        .endr
exception_common:
        pop     %rdi
        mov     %rsp, %rsi
        and     $-16, %rsp
        call    XenKernelFault
        jmp     xen_halt

/* The upcall: the System V caller-saved registers kept, XenKernelUpcall() on the interrupted stack (16-aligned: the
   CPU aligned it before its 5-word frame, 9 pushes make it 16 again), iretq. */
upcall_entry:
        push    %rax
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        call    XenKernelUpcall
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rax
        iretq

        .section .rodata
        .balign 8
gdt:
        .quad   0
gdt_code64:
        .quad   0x00af9a000000ffff    /* present, ring 0, code, long mode */
gdt_data:
        .quad   0x00cf92000000ffff    /* present, ring 0, data, writable */
gdt_end:
gdt_pointer:
        .word   gdt_end - gdt - 1
        .long   gdt

        .section .bss
        .balign 4096
page_tables:
pml4:   .skip   4096
pdpt:   .skip   4096
pd:     .skip   PD_COUNT * 4096
hypercall_page: .skip 4096
boot_pages: .skip BOOT_PAGES * 4096
        .balign 16
stack:  .skip   STACK_SIZE
stack_top:

        .section .note.GNU-stack, "", @progbits
