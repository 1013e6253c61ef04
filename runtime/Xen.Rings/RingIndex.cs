namespace Xen.Rings;

/// <summary>Index and size arithmetic shared by all Xen rings. Ring indices are 32-bit and wrap modulo 2^32.</summary>
public static class RingIndex
{
    /// <summary>Rounds <paramref name="value"/> down to a power of two (0 stays 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RoundDownToPowerOfTwo(uint value) => value == 0 ? 0 : 1u << (31 - BitOperations.LeadingZeroCount(value));

    /// <summary>
    /// The bytes of a ring of 2^<paramref name="pageOrder"/> Xen pages of 2^<paramref name="pageShift"/> bytes
    /// (<c>XEN_PAGE_SHIFT</c>, which the generated ring types pass from the model).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is negative or too large for a 32-bit ring.</exception>
    public static long BytesForPageOrder(int pageOrder, int pageShift)
    {
        CheckPageShift(pageShift);
        if ((uint)pageOrder > (uint)(31 - pageShift)) throw new ArgumentOutOfRangeException(nameof(pageOrder), pageOrder, $"page order must be 0..{31 - pageShift}");
        return 1L << (pageShift + pageOrder);
    }

    /// <summary>
    /// The entry count of a request/response ring occupying <paramref name="ringBytes"/> bytes whose slots start
    /// <paramref name="headerBytes"/> into the shared page and are <paramref name="entryBytes"/> apart: the slots
    /// that fit, rounded down to a power of two.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The area cannot hold even the header and one entry.</exception>
    public static uint EntryCount(long ringBytes, int headerBytes, int entryBytes)
    {
        if (entryBytes <= 0) throw new ArgumentOutOfRangeException(nameof(entryBytes));
        long slots = (ringBytes - headerBytes) / entryBytes;
        if (slots < 1 || slots > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(ringBytes), ringBytes, "the ring area must hold the header and at least one entry");
        return RoundDownToPowerOfTwo((uint)slots);
    }

    /// <summary>
    /// The size of each direction's buffer of a flex ring of the given order (<c>XEN_FLEX_RING_SIZE</c>), for Xen pages
    /// of 2^<paramref name="pageShift"/> bytes (<c>XEN_PAGE_SHIFT</c>, which the generated ring types pass from the model).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is negative or too large.</exception>
    public static uint FlexRingSize(int order, int pageShift)
    {
        CheckPageShift(pageShift);
        if ((uint)order > (uint)(32 - pageShift)) throw new ArgumentOutOfRangeException(nameof(order), order, $"ring order must be 0..{32 - pageShift}");
        return 1u << (order + pageShift - 1);
    }

    private static void CheckPageShift(int pageShift)
    {
        if (pageShift < 1 || pageShift > 31) throw new ArgumentOutOfRangeException(nameof(pageShift), pageShift, "page shift must be 1..31");
    }
}
