using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>Where the headers are (the directory holding <c>xen/</c>) and the macros to define.</summary>
internal sealed record CContext(string IncludeDir, IReadOnlyList<string> Defines)
{
    /// <summary>
    /// The fetched headers of the model's release, with the defines the importer parsed them with that select the
    /// interface (<c>__XEN_TOOLS__</c>, <c>__XEN_INTERFACE_VERSION__</c>).
    /// </summary>
    public static CContext Of(AbiModel model) => new(Releases.IncludeDir(model.Release), XenDefines(model));

    public static IReadOnlyList<string> XenDefines(AbiModel model) =>
        model.Defines.Where(d => d.StartsWith("__XEN", StringComparison.Ordinal)).ToList();
}

/// <summary>
/// The C compiler as the peer of the importer: small C programs that include a release's fetched headers, built
/// with Debian's <c>clang</c> for a target, that report what the compiler thinks (<c>offsetof</c>, <c>sizeof</c>,
/// <c>_Alignof</c>, bit positions) as <c>key value</c> pairs.
/// <para>
/// A program is a body of statements using <c>P("key", constant-expression)</c> and, where the program can run,
/// <c>BITS("key", object, lvalue)</c> (sets <c>lvalue</c> to all ones in the zeroed <c>object</c> and reports the
/// first set bit and the number of set bits as <c>key.first</c> and <c>key.count</c>).
/// </para>
/// <list type="bullet">
/// <item><see cref="Compile(CContext, TargetArch, IEnumerable{string}, string)"/> works for every target: it compiles to assembly only, and <c>P</c> becomes an
/// <c>asm(".ascii")</c> statement with the value as an <c>"i"</c> operand (the Linux asm-offsets technique), so the
/// compiler writes the value into the assembly text. No linker, no C library, nothing runs.</item>
/// <item><see cref="Run"/> builds and runs the program: x86_64 natively against glibc, x86_32 as a freestanding
/// static i686 executable that writes with the <c>int $0x80</c> system call.</item>
/// </list>
/// </summary>
internal static partial class CProgram
{
    private const string Clang = "/usr/bin/clang";

    private static readonly Lazy<string> ResourceInclude = new(() =>
        Path.Combine(Exec(Clang, ["-print-resource-dir"], null).Stdout.Trim(), "include"));

    [GeneratedRegex(@"@@xengen (\S+) (-?\d+)")]
    private static partial Regex AsmValue();

    [GeneratedRegex(@"^(\S+) (-?\d+)$", RegexOptions.Multiline)]
    private static partial Regex OutputValue();

    /// <summary>Whether <see cref="Run"/> can execute programs for <paramref name="arch"/> on this machine.</summary>
    public static bool CanRun(TargetArch arch) => arch == TargetArch.X86_64 || arch == TargetArch.X86_32;

    /// <summary>
    /// The values of a compile-time-only program (<c>P</c> statements) for <paramref name="arch"/>:
    /// <paramref name="includes"/> are paths relative to <c>xen/</c> under <paramref name="context"/>'s include directory.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Compile(CContext context, TargetArch arch, IEnumerable<string> includes, string body) =>
        Compile(context, arch, includes, body, "").Values;

    /// <summary>
    /// Like <see cref="Compile(CContext, TargetArch, IEnumerable{string}, string)"/>, with file-scope
    /// <paramref name="globals"/>; also returns the initial bytes of every global object named <c>xengen_data_*</c>,
    /// as the compiler wrote them into the assembly (a way to see an object's bits without running anything).
    /// </summary>
    public static (IReadOnlyDictionary<string, long> Values, IReadOnlyDictionary<string, byte[]> Data) Compile(
        CContext context, TargetArch arch, IEnumerable<string> includes, string body, string globals)
    {
        var source = new StringBuilder()
            .Append("#include <stdint.h>\n#include <stddef.h>\n")
            .Append(Includes(includes))
            .Append(globals)
            .Append("#define P(key, expr) __asm__ volatile(\".ascii \\\"\\\\n@@xengen \" key \" %c0\\\\n\\\"\" :: \"i\"((long long)(expr)))\n")
            .Append("void xengen_values(void)\n{\n").Append(body).Append("\n}\n")
            .ToString();
        string asm = Build(context, arch, source, ["-ffreestanding", "-S"], "values.s", run: false);
        return (Parse(AsmValue(), asm), AsmData(asm, arch));
    }

    /// <summary>The bytes of each <c>xengen_data_*</c> object: its data directives from its label to its <c>.size</c>.</summary>
    private static Dictionary<string, byte[]> AsmData(string asm, TargetArch arch)
    {
        // Directive sizes; ".word" is 2 bytes for the x86 assembler and 4 for Arm's.
        int wordSize = arch.Family == "x86" ? 2 : 4;
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [".byte"] = 1, [".short"] = 2, [".hword"] = 2, [".2byte"] = 2, [".word"] = wordSize,
            [".long"] = 4, [".4byte"] = 4, [".quad"] = 8, [".xword"] = 8, [".8byte"] = 8,
        };
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string[] lines = asm.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var label = Regex.Match(lines[i], @"^(xengen_data_\w+):");
            if (!label.Success) continue;
            string name = label.Groups[1].Value;
            var bytes = new List<byte>();
            for (i++; i < lines.Length; i++)
            {
                var d = Regex.Match(lines[i], @"^\s*(\.[a-z0-9]+)\s+([^,\s]+)(?:,\s*([^,\s]+))?");
                if (!d.Success) throw new InvalidOperationException($"{name}: unexpected assembly line '{lines[i]}'");
                string directive = d.Groups[1].Value, operand = d.Groups[2].Value;
                if (directive == ".size")
                {
                    long size = long.Parse(d.Groups[3].Value, CultureInfo.InvariantCulture);
                    if (size != bytes.Count) throw new InvalidOperationException($"{name}: read {bytes.Count} bytes, .size says {size}");
                    break;
                }
                if (directive is ".zero" or ".space")
                {
                    bytes.AddRange(new byte[int.Parse(operand, CultureInfo.InvariantCulture)]);
                }
                else if (sizes.TryGetValue(directive, out int n))
                {
                    ulong v = unchecked((ulong)long.Parse(operand, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                    for (int b = 0; b < n; b++) bytes.Add((byte)(v >> (8 * b))); // the Arm and x86 targets are little-endian
                }
                else
                {
                    throw new InvalidOperationException($"{name}: unsupported data directive '{lines[i].Trim()}'");
                }
            }
            data[name] = bytes.ToArray();
        }
        return data;
    }

    /// <summary>
    /// The values printed by a program (<c>P</c> and <c>BITS</c> statements) built and run for <paramref name="arch"/>,
    /// which must be one that <see cref="CanRun"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Run(CContext context, TargetArch arch, IEnumerable<string> includes, string body)
    {
        if (!CanRun(arch)) throw new ArgumentException($"cannot run {arch.Name} programs here", nameof(arch));
        bool hosted = arch == TargetArch.X86_64;
        var source = new StringBuilder()
            .Append(hosted ? HostedRuntime : I686Runtime)
            .Append(Includes(includes))
            .Append(CommonRuntime)
            .Append("static void xengen_body(void)\n{\n").Append(body).Append("\n}\n")
            .Append(hosted ? "int main(void) { xengen_body(); return 0; }\n"
                           : "void _start(void) { xengen_body(); xengen_exit(0); }\n")
            .ToString();
        string[] flags = hosted ? [] : ["-ffreestanding", "-nostdlib", "-static", "-fno-pic", "-fno-stack-protector"];
        string stdout = Build(context, arch, source, flags, "program", run: true);
        return Parse(OutputValue(), stdout);
    }

    /// <summary>Builds and runs a hosted x86_64 program that has its own <c>main</c>; returns its standard output.</summary>
    public static string RunHosted(CContext context, string source) => Build(context, TargetArch.X86_64, source, [], "program", run: true);

    private static string Includes(IEnumerable<string> includes) =>
        string.Concat(includes.Select(h => $"#include <xen/{h}>\n"));

    private const string CommonRuntime = """
        static void xengen_put_u(unsigned long v) /* unsigned long: i686 has no 64-bit division without libgcc */
        {
            char buf[24];
            int n = 0;
            do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v != 0);
            while (n > 0) xengen_write(&buf[--n], 1);
        }
        static void xengen_put(const char *key, long long v)
        {
            const char *k = key;
            while (*k) k++;
            xengen_write(key, (unsigned long)(k - key));
            xengen_write(" ", 1);
            if (v < 0) { xengen_write("-", 1); v = -v; }
            if (v > (long long)(~0UL >> 1)) xengen_write("overflow", 8);
            else xengen_put_u((unsigned long)v);
            xengen_write("\n", 1);
        }
        /* The first set bit (bit i is bit i%8 of byte i/8, the little-endian numbering clang's bit offsets use)
           and the number of set bits of an object. */
        static void xengen_bits(const char *key, const unsigned char *p, unsigned long n, char *name, unsigned long room)
        {
            long long first = -1, count = 0;
            for (unsigned long i = 0; i < n * 8; i++)
            {
                if (p[i / 8] & (1u << (i % 8))) { if (first < 0) first = (long long)i; count++; }
            }
            unsigned long len = 0;
            while (key[len] && len + 7 < room) { name[len] = key[len]; len++; }
            const char *f = ".first", *c = ".count";
            for (int i = 0; i < 7; i++) name[len + i] = f[i];
            xengen_put(name, first);
            for (int i = 0; i < 7; i++) name[len + i] = c[i];
            xengen_put(name, count);
        }
        #define P(key, expr) xengen_put(key, (long long)(expr))
        #define BITS(key, obj, lvalue) do { \
                unsigned char *xengen_p = (unsigned char *)&(obj); \
                for (unsigned long xengen_i = 0; xengen_i < sizeof(obj); xengen_i++) xengen_p[xengen_i] = 0; \
                (lvalue) = -1; \
                char xengen_name[256]; \
                xengen_bits(key, xengen_p, sizeof(obj), xengen_name, sizeof(xengen_name)); \
            } while (0)

        """;

    private const string HostedRuntime = """
        #include <stdint.h>
        #include <stddef.h>
        #include <unistd.h>
        static void xengen_write(const char *s, unsigned long n) { (void)!write(1, s, n); }

        """;

    private const string I686Runtime = """
        #include <stdint.h>
        #include <stddef.h>
        static void xengen_write(const char *s, unsigned long n)
        {
            long r;
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(4), "b"(1), "c"(s), "d"(n) : "memory");
            (void)r;
        }
        static void xengen_exit(int code)
        {
            __asm__ volatile("int $0x80" :: "a"(1), "b"(code));
            for (;;) { }
        }

        """;

    private static string Build(CContext context, TargetArch arch, string source, IReadOnlyList<string> flags, string outputName, bool run)
    {
        string dir = Directory.CreateTempSubdirectory("xengen-focused-").FullName;
        try
        {
            string c = Path.Combine(dir, "program.c");
            string output = Path.Combine(dir, outputName);
            File.WriteAllText(c, source);
            var args = new List<string> { "-std=gnu11", "-w", "-target", arch.Triple };
            args.AddRange(flags);
            if (flags.Contains("-ffreestanding"))
            {
                // Only clang's own freestanding headers besides Xen's: nothing of the host's C library. The one
                // POSIX header a public header includes, io/libxenvchan.h's <sys/types.h>, is an empty stand-in:
                // that header uses none of its types.
                string stubs = Path.Combine(dir, "stubs");
                Directory.CreateDirectory(Path.Combine(stubs, "sys"));
                File.WriteAllText(Path.Combine(stubs, "sys", "types.h"), "/* empty stand-in for the freestanding build */\n");
                args.AddRange(["-nostdinc", "-isystem", ResourceInclude.Value, "-isystem", stubs]);
            }
            args.AddRange(context.Defines.Select(d => "-D" + d));
            args.AddRange(["-I", context.IncludeDir, "-o", output, c]);
            var build = Exec(Clang, args, dir);
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"clang failed for {arch.Name} ({context.IncludeDir}):\n{build.Stderr}\n--- program.c ---\n{Numbered(source)}");
            }
            if (!run) return File.ReadAllText(output);
            var exec = Exec(output, [], dir);
            if (exec.ExitCode != 0)
            {
                throw new InvalidOperationException($"{arch.Name} program exited with {exec.ExitCode}:\n{exec.Stderr}");
            }
            return exec.Stdout;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, long> Parse(Regex line, string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in line.Matches(text))
        {
            string key = m.Groups[1].Value;
            long value = long.Parse(m.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            if (!values.TryAdd(key, value)) throw new InvalidOperationException($"the program reported '{key}' twice");
        }
        return values;
    }

    private static string Numbered(string source) =>
        string.Join('\n', source.Split('\n').Select((l, i) => $"{i + 1,5}  {l}"));

    private static (int ExitCode, string Stdout, string Stderr) Exec(string file, IReadOnlyList<string> args, string? workDir)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workDir != null) psi.WorkingDirectory = workDir;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 60 s");
        }
        return (p.ExitCode, stdout, stderr.Result);
    }
}
