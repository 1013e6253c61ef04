using System.Text;

namespace XenGen.RealXen.Initramfs;

/// <summary>
/// An initramfs under construction: files, directories and symlinks by their path in the archive, written as the
/// kernel's "newc" cpio format (the one <c>cpio -H newc</c> writes and Linux's initramfs unpacker reads). Entries are
/// written sorted by path with uid, gid and mtime 0, so the same inputs give the same bytes.
/// </summary>
internal sealed class CpioArchive
{
    private const string NewcMagic = "070701";
    private const string Trailer = "TRAILER!!!";
    private const int DirectoryMode = 0x4000, RegularMode = 0x8000, SymlinkMode = 0xA000;

    private readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the host file <paramref name="source"/> at <paramref name="path"/>, keeping its permission bits. A symlink
    /// (such as <c>/lib64/ld-linux-x86-64.so.2</c>) is followed: the entry is a regular file with its target's body.
    /// </summary>
    public void AddFile(string path, string source)
    {
        if (!File.Exists(source)) throw new FileNotFoundException($"{source}: no such file to put in the initramfs at {path}", source);
        // FileInfo's length and mode are the link's own; the body File.OpenRead gives is the target's.
        var real = File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source;
        var mode = (int)File.GetUnixFileMode(real) & 0xFFF;
        Add(path, new Entry(RegularMode | mode, Source: real, Content: null));
    }

    /// <summary>Adds a file with the given content and permission bits (octal 0755 for a script).</summary>
    public void AddFile(string path, byte[] content, int permissions) => Add(path, new Entry(RegularMode | permissions, Source: null, Content: content));

    /// <summary>Adds a text file (UTF-8, no byte order mark).</summary>
    public void AddText(string path, string text, int permissions) => AddFile(path, Encoding.UTF8.GetBytes(text), permissions);

    /// <summary>Adds a directory (and its parents).</summary>
    public void AddDirectory(string path) => Add(path, new Entry(DirectoryMode | 0x1ED, null, null));

    /// <summary>Adds a symlink at <paramref name="path"/> pointing to <paramref name="target"/>.</summary>
    public void AddSymlink(string path, string target) => Add(path, new Entry(SymlinkMode | 0x1FF, null, Encoding.UTF8.GetBytes(target)));

    /// <summary>Whether <paramref name="path"/> is already in the archive.</summary>
    public bool Contains(string path) => _entries.ContainsKey(Normalize(path));

    /// <summary>Writes the archive to <paramref name="output"/>.</summary>
    public void WriteTo(Stream output)
    {
        var ino = 1;
        foreach (var (path, entry) in _entries)
        {
            var size = entry.Source is { } source ? new FileInfo(source).Length : entry.Content?.Length ?? 0;
            WriteHeader(output, ino++, entry.Mode, nlink: (entry.Mode & DirectoryMode) != 0 ? 2 : 1, size, path);
            if (entry.Source is not null)
            {
                using var file = File.OpenRead(entry.Source);
                var copied = CopyExactly(file, output, size);
                if (copied != size) throw new IOException($"{entry.Source} changed size while it was written into the initramfs");
            }
            else if (entry.Content is { } content) output.Write(content);
            Pad(output, size);
        }
        WriteHeader(output, 0, 0, 1, 0, Trailer);
    }

    /// <summary>Writes the archive to <paramref name="file"/> through a temporary file and a rename.</summary>
    public void WriteTo(string file)
    {
        var temporary = file + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = File.Create(temporary)) WriteTo(stream);
            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void Add(string path, Entry entry)
    {
        var name = Normalize(path);
        if (name.Length == 0) throw new ArgumentException($"'{path}' is not a path inside the initramfs", nameof(path));
        var slash = name.LastIndexOf('/');
        if (slash > 0 && !_entries.ContainsKey(name[..slash])) AddDirectory(name[..slash]);
        _entries[name] = entry;
    }

    private static string Normalize(string path) => path.Trim('/');

    private static void WriteHeader(Stream output, int ino, int mode, int nlink, long size, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(NewcMagic);
        foreach (var field in new long[] { ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, nameBytes.Length + 1, 0 })
            header.Append(field.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        output.WriteByte(0);
        Pad(output, header.Length + nameBytes.Length + 1);
    }

    /// <summary>newc aligns every header-plus-name and every file body to 4 bytes.</summary>
    private static void Pad(Stream output, long written)
    {
        for (var i = written % 4; i is > 0 and < 4; i++) output.WriteByte(0);
    }

    private static long CopyExactly(Stream from, Stream to, long size)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while (total < size && (read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, size - total))) > 0)
        {
            to.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }

    private sealed record Entry(int Mode, string? Source, byte[]? Content);
}
