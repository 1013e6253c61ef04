namespace System
{
    // ILC resolves its block-copy helper here. There is no GC, so a copy needs no barrier: bytes forward.
    public static unsafe class Buffer
    {
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
        {
            fixed (byte* d = &destination, s = &source)
                Memmove(d, s, byteCount);
        }

        internal static void Memmove(byte* destination, byte* source, nuint count)
        {
            if (destination <= source)
            {
                for (nuint i = 0; i < count; i++)
                    destination[i] = source[i];
            }
            else
            {
                for (var i = count; i > 0; i--)
                    destination[i - 1] = source[i - 1];
            }
        }
    }
}
