using System.Runtime.InteropServices;
using Xen.Rings;
using Xunit;

namespace XenGen.Tests;

/// <summary>
/// The single copy of an entry out of shared memory (<c>RING_COPY_*</c>): exact bytes for every entry size, and never a
/// byte past the slot, checked against a guard page the kernel refuses to read.
/// </summary>
public sealed unsafe partial class RingCopyTests
{
    /// <summary>A shared ring head like ring.h's: the four indices, then slots from byte 64.</summary>
    private readonly struct Header64 : ISharedRingLayout
    {
        public static int RequestProducerOffset => 0;
        public static int RequestEventOffset => 4;
        public static int ResponseProducerOffset => 8;
        public static int ResponseEventOffset => 12;
        public static int RingOffset => 64;
    }

    [StructLayout(LayoutKind.Sequential, Size = 8)] private struct E8 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 15)] private struct E15 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 16)] private struct E16 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 17)] private struct E17 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 40)] private struct E40 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 112)] private struct E112 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 128)] private struct E128 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 136)] private struct E136 { public byte B; }
    [StructLayout(LayoutKind.Sequential, Size = 200)] private struct E200 { public byte B; }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(112)]
    [InlineData(128)]
    [InlineData(136)]
    [InlineData(200)]
    public void TakingCopiesEachEntryExactlyAndStopsAtTheSlotEnd(int size)
    {
        switch (size)
        {
            case 8: TakeEveryEntryBeforeAGuardPage<E8>(); break;
            case 15: TakeEveryEntryBeforeAGuardPage<E15>(); break;
            case 16: TakeEveryEntryBeforeAGuardPage<E16>(); break;
            case 17: TakeEveryEntryBeforeAGuardPage<E17>(); break;
            case 40: TakeEveryEntryBeforeAGuardPage<E40>(); break;
            case 112: TakeEveryEntryBeforeAGuardPage<E112>(); break;
            case 128: TakeEveryEntryBeforeAGuardPage<E128>(); break;
            case 136: TakeEveryEntryBeforeAGuardPage<E136>(); break;
            default: TakeEveryEntryBeforeAGuardPage<E200>(); break;
        }
    }

    [Fact]
    public void ARequestTypeLargerThanTheSlotIsRefused()
    {
        byte* ring = (byte*)NativeMemory.AllocZeroed(4096);
        try
        {
            SharedRing<Header64>.Init(ring);
            var front = new FrontRingCore<E16, Header64>(ring, 4096);
            var e = Assert.Throws<ArgumentException>(() => front.TryQueueRequest(new E17()));
            Assert.Contains("E17 (17 bytes) does not fit a E16 slot (16 bytes)", e.Message);
            var back = new BackRingCore<E16, Header64>(ring, 4096);
            Assert.Throws<ArgumentException>(() => back.ResponseAt<E40>(0));
        }
        finally
        {
            NativeMemory.Free(ring);
        }
    }

    /// <summary>
    /// A ring of four <typeparamref name="T"/> slots whose last slot ends exactly where an unreadable page begins; the
    /// back end takes every request and the front end every response, each compared byte for byte.
    /// </summary>
    private static void TakeEveryEntryBeforeAGuardPage<T>() where T : unmanaged
    {
        const int Slots = 4, Header = 64;
        int ringBytes = Header + Slots * sizeof(T);
        using var pages = new GuardedPages(ringBytes);
        byte* sring = pages.End - ringBytes;
        SharedRing<Header64>.Init(sring);
        var front = new FrontRingCore<T, Header64>(sring, ringBytes);
        var back = new BackRingCore<T, Header64>(sring, ringBytes);
        Assert.Equal((uint)Slots, front.Size);
        for (uint round = 0; round < 3; round++)
        {
            for (uint i = 0; i < Slots; i++) Assert.True(front.TryQueueRequest(Pattern<T>(round * 100 + i)));
            front.PushRequests();
            for (uint i = 0; i < Slots; i++)
            {
                Assert.True(back.TryTakeRequest(out T request));
                AssertBytes(Pattern<T>(round * 100 + i), request);
                Assert.True(back.TryQueueResponse(Pattern<T>(round * 100 + 50 + i)));
            }
            Assert.False(back.TryTakeRequest(out T _));
            back.PushResponses();
            for (uint i = 0; i < Slots; i++)
            {
                Assert.True(front.TryTakeResponse(out T response));
                AssertBytes(Pattern<T>(round * 100 + 50 + i), response);
            }
            Assert.False(front.TryTakeResponse(out T _));
        }
    }

    private static T Pattern<T>(uint seed) where T : unmanaged
    {
        T value = default;
        var bytes = MemoryMarshal.AsBytes(new Span<T>(ref value));
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(seed * 31 + i * 7 + 1);
        return value;
    }

    private static void AssertBytes<T>(T expected, T actual) where T : unmanaged =>
        Assert.Equal(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in expected)).ToArray(), MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in actual)).ToArray());

    /// <summary>Readable pages holding at least <c>bytes</c>, followed by a page mapped with no access.</summary>
    private sealed class GuardedPages : IDisposable
    {
        private const int ProtNone = 0, ProtReadWrite = 3, MapPrivateAnonymous = 0x22;
        private readonly byte* _base;
        private readonly nuint _length;

        public GuardedPages(int bytes)
        {
            nuint page = (nuint)Environment.SystemPageSize;
            nuint readable = ((nuint)bytes + page - 1) / page * page;
            _length = readable + page;
            _base = (byte*)Mmap(null, _length, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            Assert.True(_base != (byte*)-1, "mmap failed");
            Assert.Equal(0, Mprotect(_base + readable, page, ProtNone));
            End = _base + readable;
        }

        /// <summary>The first byte of the guard page.</summary>
        public byte* End { get; }

        public void Dispose() => Munmap(_base, _length);
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
