using System.Diagnostics;
using XenGen.RealXen.Initramfs;

namespace XenGen.RealXen.Tests;

/// <summary>Our newc writer against GNU cpio, which unpacks what we write (the kernel's unpacker reads the same format).</summary>
public sealed class CpioArchiveTests
{
    [Fact]
    public void Gnu_cpio_unpacks_files_directories_symlinks_and_modes_as_written()
    {
        var dir = Directory.CreateTempSubdirectory("realxen-cpio-").FullName;
        try
        {
            var source = Path.Combine(dir, "source.bin");
            var body = Enumerable.Range(0, 10_001).Select(i => (byte)(i * 7)).ToArray();
            File.WriteAllBytes(source, body);
            File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
            var archive = new CpioArchive();
            archive.AddFile("bin/tool", source);
            archive.AddText("/deep/er/init", "#!/bin/sh\necho hi\n", 0x1ED);
            archive.AddSymlink("bin/sh", "tool");
            archive.AddDirectory("empty");
            var file = Path.Combine(dir, "initrd");
            archive.WriteTo(file);

            var output = Path.Combine(dir, "out");
            Directory.CreateDirectory(output);
            var (status, error) = Cpio(output, file);
            Assert.True(status == 0, error);

            Assert.Equal(body, File.ReadAllBytes(Path.Combine(output, "bin", "tool")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(output, "bin", "tool")));
            Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(output, "deep", "er", "init")));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(output, "deep", "er", "init")));
            Assert.Equal("tool", new FileInfo(Path.Combine(output, "bin", "sh")).LinkTarget);
            Assert.True(Directory.Exists(Path.Combine(output, "empty")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_host_file_named_through_a_symlink_goes_in_whole_with_its_targets_mode()
    {
        // ldd names the ELF interpreter as /lib64/ld-linux-x86-64.so.2, a symlink: its body once went in cut to the
        // link's own 42-byte length, and the guest's exec of every dynamic program failed with EIO.
        var dir = Directory.CreateTempSubdirectory("realxen-cpio-").FullName;
        try
        {
            var target = Path.Combine(dir, "ld-real.so");
            var body = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 13)).ToArray();
            File.WriteAllBytes(target, body);
            File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
            var link = Path.Combine(dir, "ld-link.so");
            File.CreateSymbolicLink(link, target);
            var archive = new CpioArchive();
            archive.AddFile("lib64/ld.so", link);
            var file = Path.Combine(dir, "initrd");
            archive.WriteTo(file);
            var output = Path.Combine(dir, "out");
            Directory.CreateDirectory(output);
            var (status, error) = Cpio(output, file);
            Assert.True(status == 0, error);
            var unpacked = Path.Combine(output, "lib64", "ld.so");
            Assert.Null(new FileInfo(unpacked).LinkTarget);
            Assert.Equal(body, File.ReadAllBytes(unpacked));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(unpacked));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_unpacked_comparison_catches_a_wrong_mode_or_body_in_the_archive()
    {
        // The check above can fail: the same archive with its mode field or its body changed unpacks differently.
        var dir = Directory.CreateTempSubdirectory("realxen-cpio-").FullName;
        try
        {
            var archive = new CpioArchive();
            archive.AddText("init", "good", 0x1ED);
            var text = System.Text.Encoding.ASCII.GetString(Bytes(archive));
            var wrong = text.Replace("000081ed", "000081a4", StringComparison.Ordinal).Replace("good", "evil", StringComparison.Ordinal);
            Assert.NotEqual(text, wrong);
            var file = Path.Combine(dir, "initrd");
            File.WriteAllText(file, wrong);
            var (status, error) = Cpio(dir, file);
            Assert.True(status == 0, error);
            Assert.NotEqual("good", File.ReadAllText(Path.Combine(dir, "init")));
            Assert.NotEqual((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(dir, "init")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_same_entries_added_in_another_order_give_the_same_bytes()
    {
        var a = new CpioArchive();
        a.AddText("b/two", "2", 0x1A4);
        a.AddText("a/one", "1", 0x1A4);
        var b = new CpioArchive();
        b.AddText("a/one", "1", 0x1A4);
        b.AddText("b/two", "2", 0x1A4);
        Assert.Equal(Bytes(a), Bytes(b));
    }

    private static byte[] Bytes(CpioArchive archive)
    {
        using var memory = new MemoryStream();
        archive.WriteTo(memory);
        return memory.ToArray();
    }

    private static (int Status, string Error) Cpio(string directory, string archive)
    {
        var start = new ProcessStartInfo("cpio", ["-i", "-d", "-m", "--quiet", "-F", archive]) { WorkingDirectory = directory, RedirectStandardError = true };
        using var cpio = Process.Start(start)!;
        var error = cpio.StandardError.ReadToEnd();
        cpio.WaitForExit();
        return (cpio.ExitCode, error);
    }
}
