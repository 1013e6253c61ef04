using System.Collections.Immutable;
using System.Globalization;

namespace Xen.XenStore.Protocol;

/// <summary>What a permission entry grants: <c>n</c>one, <c>r</c>ead, <c>w</c>rite or <c>b</c>oth.</summary>
[Flags]
public enum XsAccess
{
    /// <summary><c>n</c>: no access.</summary>
    None = 0,
    /// <summary><c>r</c>: read.</summary>
    Read = 1,
    /// <summary><c>w</c>: write.</summary>
    Write = 2,
    /// <summary><c>b</c>: read and write.</summary>
    Both = Read | Write,
}

/// <summary>One entry of a node's permissions: a domain and what it may do, written <c>r0</c>, <c>b3</c>, ...</summary>
/// <param name="DomainId">The domain.</param>
/// <param name="Access">What it may do.</param>
public readonly record struct XsPermission(uint DomainId, XsAccess Access)
{
    /// <summary>Parses <c>&lt;letter&gt;&lt;domid&gt;</c> as sent in <c>XS_SET_PERMS</c> and returned by <c>XS_GET_PERMS</c>.</summary>
    /// <param name="text">The entry's bytes.</param>
    /// <param name="permission">The entry.</param>
    /// <returns>Whether the text is a letter of <c>nrwb</c> followed by a decimal domain id.</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, out XsPermission permission)
    {
        permission = default;
        if (text.Length < 2) return false;
        XsAccess? access = text[0] switch
        {
            (byte)'n' => XsAccess.None,
            (byte)'r' => XsAccess.Read,
            (byte)'w' => XsAccess.Write,
            (byte)'b' => XsAccess.Both,
            _ => null,
        };
        if (access is null || !XsArgumentReader.TryParseUInt32(text[1..], out uint domain)) return false;
        permission = new XsPermission(domain, access.Value);
        return true;
    }

    /// <summary>The entry as text, such as <c>r0</c>.</summary>
    /// <returns>The letter and the domain id.</returns>
    public override string ToString() => Letter(Access) + DomainId.ToString(CultureInfo.InvariantCulture);

    private static string Letter(XsAccess access) => access switch
    {
        XsAccess.Read => "r",
        XsAccess.Write => "w",
        XsAccess.Both => "b",
        _ => "n",
    };
}

/// <summary>
/// A node's permissions: the first entry names the owner and what every domain not listed may do; later entries
/// grant listed domains their access. The owner (and dom0) may always read and write.
/// </summary>
public sealed class XsPermissions : IEquatable<XsPermissions>
{
    private XsPermissions(ImmutableArray<XsPermission> entries) => Entries = entries;

    /// <summary>The entries; the first names the owner.</summary>
    public ImmutableArray<XsPermission> Entries { get; }

    /// <summary>The owning domain.</summary>
    public uint Owner => Entries[0].DomainId;

    /// <summary>Owned by <paramref name="owner"/>, no access for others.</summary>
    /// <param name="owner">The owning domain.</param>
    /// <returns>The permissions <c>n&lt;owner&gt;</c>.</returns>
    public static XsPermissions OwnedBy(uint owner) => new(ImmutableArray.Create(new XsPermission(owner, XsAccess.None)));

    /// <summary>Permissions from entries.</summary>
    /// <param name="entries">At least one entry; the first names the owner.</param>
    /// <returns>The permissions.</returns>
    public static XsPermissions From(IEnumerable<XsPermission> entries)
    {
        var array = entries.ToImmutableArray();
        if (array.IsEmpty) throw new ArgumentException("permissions need an owner entry", nameof(entries));
        return new XsPermissions(array);
    }

    /// <summary>Parses the NUL-terminated entries of an <c>XS_SET_PERMS</c> or <c>XS_GET_PERMS</c> payload.</summary>
    /// <param name="reader">Positioned at the first entry; read to the end.</param>
    /// <param name="permissions">The permissions.</param>
    /// <returns>False when there is no entry, an entry is malformed or unterminated.</returns>
    public static bool TryRead(ref XsArgumentReader reader, out XsPermissions permissions)
    {
        permissions = null!;
        var builder = ImmutableArray.CreateBuilder<XsPermission>();
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadString(out var text)) return false;
            if (text.IsEmpty && reader.IsAtEnd) break; // a trailing empty reserved argument
            if (!XsPermission.TryParse(text, out var entry)) return false;
            builder.Add(entry);
        }
        if (builder.Count == 0) return false;
        permissions = new XsPermissions(builder.ToImmutable());
        return true;
    }

    /// <summary>Appends each entry as a NUL-terminated string.</summary>
    /// <param name="writer">The message being written.</param>
    /// <returns>False when they do not fit.</returns>
    public bool TryWrite(ref XsMessageWriter writer)
    {
        foreach (var entry in Entries)
        {
            if (!writer.AppendString(entry.ToString())) return false;
        }
        return true;
    }

    /// <summary>What <paramref name="domainId"/> may do here, ignoring privilege: everything for the owner, else its entry, else the first entry's access.</summary>
    /// <param name="domainId">The asking domain.</param>
    /// <returns>Its access.</returns>
    public XsAccess AccessOf(uint domainId)
    {
        if (domainId == Owner) return XsAccess.Both;
        for (int i = 1; i < Entries.Length; i++)
        {
            if (Entries[i].DomainId == domainId) return Entries[i].Access;
        }
        return Entries[0].Access;
    }

    /// <summary>The same entries with a different owner.</summary>
    /// <param name="owner">The new owner.</param>
    /// <returns>The permissions.</returns>
    public XsPermissions WithOwner(uint owner) => owner == Owner ? this : new(Entries.SetItem(0, Entries[0] with { DomainId = owner }));

    /// <inheritdoc />
    public bool Equals(XsPermissions? other) => other is not null && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as XsPermissions);

    /// <inheritdoc />
    public override int GetHashCode() => Entries.Aggregate(0, (hash, e) => HashCode.Combine(hash, e));

    /// <inheritdoc />
    public override string ToString() => string.Join(" ", Entries);
}
