namespace Xen.XenStore.Protocol;

/// <summary>
/// A payload of NUL-terminated strings (a directory listing, a control command's arguments), read without
/// allocating: <c>foreach</c> gives each string's bytes without its NUL.
/// </summary>
public readonly ref struct XsStringList
{
    private readonly ReadOnlySpan<byte> _payload;

    private XsStringList(ReadOnlySpan<byte> payload) => _payload = payload;

    /// <summary>Checks every string of <paramref name="payload"/> is terminated.</summary>
    /// <param name="payload">The strings, each followed by a NUL; may be empty.</param>
    /// <param name="list">The list.</param>
    /// <param name="problem">What is wrong, when it is not.</param>
    /// <returns>False when the last string lacks its NUL.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out XsStringList list, out string problem)
    {
        list = new XsStringList(payload);
        return payload.IsEmpty || payload[^1] == 0 ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "has an unterminated string");
    }

    /// <summary>How many strings there are.</summary>
    public int Count => _payload.Count((byte)0);

    /// <summary>Whether there is none.</summary>
    public bool IsEmpty => _payload.IsEmpty;

    /// <summary>Enumerates the strings.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_payload);

    /// <summary>The strings of an <see cref="XsStringList"/>, in order.</summary>
    public ref struct Enumerator
    {
        private XsArgumentReader _reader;

        internal Enumerator(ReadOnlySpan<byte> payload) => _reader = new XsArgumentReader(payload);

        /// <summary>The current string, without its NUL.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Moves to the next string.</summary>
        /// <returns>False after the last.</returns>
        public bool MoveNext()
        {
            if (!_reader.TryReadString(out var value)) return false;
            Current = value;
            return true;
        }
    }
}
