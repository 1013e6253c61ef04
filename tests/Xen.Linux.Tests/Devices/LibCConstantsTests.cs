using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Xen.Linux.Tests.Devices;

/// <summary>The Linux numbers <c>LibC</c> passes to open, mmap, poll and reads in errno are the C library's, by clang.</summary>
public sealed class LibCConstantsTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("xen-linux-libc-").FullName;

    /// <summary>Each C# constant and the C macro it stands for.</summary>
    private static readonly (string Field, string Macro)[] Pairs =
    [
        ("ORdWr", "O_RDWR"), ("OCloExec", "O_CLOEXEC"), ("ProtRead", "PROT_READ"), ("ProtWrite", "PROT_WRITE"),
        ("MapShared", "MAP_SHARED"), ("PollIn", "POLLIN"), ("Eintr", "EINTR"), ("Eagain", "EAGAIN"), ("Efbig", "EFBIG"),
    ];

    [Fact]
    public void Every_constant_is_the_C_librarys()
    {
        var (exit, output) = Compile(Values());
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void A_wrong_constant_fails_by_name()
    {
        var values = Values();
        values["MAP_SHARED"] += 1;
        var (exit, output) = Compile(values);
        Assert.NotEqual(0, exit);
        Assert.Contains("MAP_SHARED", output);
    }

    [Fact]
    public void Every_constant_of_LibC_is_proven()
    {
        var fields = typeof(LinuxXenServices).Assembly.GetType("Xen.Linux.Devices.LibC")!
            .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name);
        Assert.Equal(fields.Order(), Pairs.Select(p => p.Field).Order());
    }

    private static Dictionary<string, long> Values()
    {
        var libc = typeof(LinuxXenServices).Assembly.GetType("Xen.Linux.Devices.LibC")!;
        return Pairs.ToDictionary(p => p.Macro, p => Convert.ToInt64(libc.GetField(p.Field)!.GetRawConstantValue()));
    }

    private (int Exit, string Output) Compile(Dictionary<string, long> values)
    {
        var c = new StringBuilder("#define _GNU_SOURCE\n#include <fcntl.h>\n#include <sys/mman.h>\n#include <poll.h>\n#include <errno.h>\n");
        foreach (var (macro, value) in values) c.Append($"_Static_assert({macro} == {value}, \"{macro}\");\n");
        string file = Path.Combine(work, "libc.c");
        File.WriteAllText(file, c.ToString());
        var start = new ProcessStartInfo("clang", ["-fsyntax-only", file]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        string output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
