namespace System
{
    // The block helpers ILC compiles initblk/cpblk and struct copies into.
    internal static unsafe class SpanHelpers
    {
        internal static void Memmove(ref byte destination, ref byte source, nuint length)
        {
            fixed (byte* d = &destination, s = &source)
                Buffer.Memmove(d, s, length);
        }

        internal static void ClearWithoutReferences(ref byte b, nuint byteLength)
        {
            fixed (byte* p = &b)
                for (nuint i = 0; i < byteLength; i++)
                    p[i] = 0;
        }

        internal static void ClearWithReferences(ref IntPtr ip, nuint pointerSizeLength)
        {
            fixed (IntPtr* p = &ip)
                for (nuint i = 0; i < pointerSizeLength; i++)
                    p[i] = default;
        }

        internal static void Fill(ref byte destination, nuint length, byte value)
        {
            fixed (byte* p = &destination)
                for (nuint i = 0; i < length; i++)
                    p[i] = value;
        }
    }
}
