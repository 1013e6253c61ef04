using System.Text.RegularExpressions;
using Xen.Abi.Model;

namespace XenGen.Tool.Verify;

/// <summary>
/// Proves the model's <c>xen/sys/{evtchn,gntdev,gntalloc,privcmd}.h</c> (Xen's copies of Linux's device headers, the
/// ones <c>Xen.Abi</c> generates the ioctl numbers and argument structs from) against the Linux kernel's own UAPI
/// headers of <c>linux-libc-dev</c> (<c>/usr/include/xen/*.h</c>): every record's size and alignment, every field's
/// offset and size, every ioctl number and flag, compiled by clang for the model's target triple. What the devices
/// accept is what the kernel's headers say, so a difference between the two copies fails here.
/// </summary>
public static class LinuxUapiProof
{
    /// <summary>The device headers proven: the model's path under <c>xen/</c> and Linux's UAPI header.</summary>
    public static readonly IReadOnlyList<(string ModelHeader, string LinuxHeader)> Headers =
    [
        ("sys/evtchn.h", "xen/evtchn.h"),
        ("sys/gntalloc.h", "xen/gntalloc.h"),
        ("sys/gntdev.h", "xen/gntdev.h"),
        ("sys/privcmd.h", "xen/privcmd.h"),
    ];

    /// <summary>Struct tags Xen's copy spells differently from Linux (same layout, proven under Linux's name).</summary>
    private static readonly Dictionary<string, string> LinuxTags = new(StringComparer.Ordinal)
    {
        ["ioctl_gntdev_grant_copy_segment"] = "gntdev_grant_copy_segment",
    };

    /// <summary>Constants only Xen's copy has (the kernel never defined them); everything else must be in Linux's.</summary>
    private static readonly HashSet<string> XenOnlyConstants = new(StringComparer.Ordinal) { "IOCTL_PRIVCMD_UNIMPLEMENTED" };

    /// <summary>
    /// Proves the device part of <paramref name="model"/> against the UAPI headers under <paramref name="linuxInclude"/>
    /// (normally <c>/usr/include</c>), with <c>domid_t</c>, <c>grant_ref_t</c> and <c>xen_pfn_t</c> from the Xen public
    /// headers in <paramref name="xenInclude"/> (the kernel's headers take them from its own copy of those).
    /// </summary>
    /// <returns>The proof; <see cref="ProofResult.Unprovable"/> lists what the model has and Linux's headers do not declare.</returns>
    public static ProofResult Prove(AbiModel model, string linuxInclude, string xenInclude, string workDir)
    {
        foreach (var (_, linuxHeader) in Headers)
        {
            string path = Path.Combine(linuxInclude, linuxHeader);
            if (!File.Exists(path)) throw new XenGenException($"{path}: no such Linux UAPI header (install Debian's linux-libc-dev)");
        }
        Directory.CreateDirectory(workDir);
        string linuxText = string.Concat(Headers.Select(h => File.ReadAllText(Path.Combine(linuxInclude, h.LinuxHeader))));
        var devices = DevicePart(model, linuxText, out var notInLinux);
        var counts = new ProofCounts();
        var unprovable = new List<string>(notInLinux);
        string file = Path.Combine(workDir, $"{model.Release}-{model.Arch}-linux-uapi.c");
        File.WriteAllText(file, CProofWriter.StaticAsserts(devices, Includes(linuxInclude), counts, unprovable));

        string shim = InterfaceShim(workDir);
        var args = new List<string>
        {
            "-target", model.Triple, "-std=gnu11", "-fsyntax-only", "-ferror-limit=0", "-w",
            "-ffreestanding", "-nostdinc", "-isystem", ClangDriver.ResourceIncludeDir(), "-isystem", UapiBase(workDir, linuxInclude),
            "-I", shim, "-I", xenInclude,
        };
        args.AddRange(model.Defines.Select(d => "-D" + d));
        args.Add(file);
        var compiled = ClangDriver.Run(ClangDriver.Executable, args, workDir);
        var failures = compiled.Succeeded ? new List<string>() : ErrorLines(compiled.Output, $"clang {model.Triple} exited {compiled.ExitCode}");
        return new ProofResult(counts, failures, unprovable, RanRuntimeChecks: false);
    }

    /// <summary>
    /// The device headers' records (renamed to Linux's tags) and constants, as a model of their own. Typedefs are
    /// left out: Xen's copy adds <c>privcmd_*_t</c> aliases of the structs proven here, which Linux does not have.
    /// A struct or macro that Linux's headers (<paramref name="linuxText"/>) do not declare at all, an ioctl newer
    /// than the kernel, goes to <paramref name="notInLinux"/> instead of the proof.
    /// </summary>
    public static AbiModel DevicePart(AbiModel model, string linuxText, out List<string> notInLinux)
    {
        var copy = ModelJson.Read(ModelJson.Write(model), model.Release + "/" + model.Arch);
        var headers = Headers.Select(h => h.ModelHeader).ToHashSet(StringComparer.Ordinal);
        var absent = new List<string>();
        var records = copy.Records.Where(r => headers.Contains(r.Header)).ToList();
        foreach (var r in records)
        {
            if (r.Tag != null && LinuxTags.TryGetValue(r.Tag, out var linux)) r.Tag = linux;
            if (r.Tag != null && !Regex.IsMatch(linuxText, $@"\bstruct\s+{Regex.Escape(r.Tag)}\s*\{{")) absent.Add($"struct {r.Tag}");
        }
        var byId = records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        string Outermost(RecordDecl r) => r.Parent != null && byId.TryGetValue(r.Parent, out var p) ? Outermost(p) : r.Tag ?? r.Id;
        copy.Records = records.Where(r => !absent.Contains($"struct {Outermost(r)}")).ToList();
        var constants = copy.Constants.Where(c => headers.Contains(c.Header) && !XenOnlyConstants.Contains(c.Name)).ToList();
        absent.AddRange(constants.Where(c => !Regex.IsMatch(linuxText, $@"#define\s+{Regex.Escape(c.Name)}\b")).Select(c => c.Name));
        copy.Constants = constants.Where(c => !absent.Contains(c.Name)).ToList();
        notInLinux = absent;
        copy.Enums = copy.Enums.Where(e => headers.Contains(e.Header)).ToList();
        copy.Typedefs = [];
        copy.Tables = [];
        copy.Headers = copy.Headers.Where(h => headers.Contains(h.Path)).ToList();
        return copy;
    }

    private static string Includes(string linuxInclude) =>
        "#include <linux/ioctl.h>\n#include <xen/interface/xen.h>\n" + string.Concat(Headers.Select(h => $"#include \"{Path.Combine(Path.GetFullPath(linuxInclude), h.LinuxHeader)}\"\n"));

    /// <summary>
    /// <c>xen/interface/xen.h</c>, which the kernel's <c>privcmd.h</c> includes from the kernel tree: Xen's public
    /// <c>xen.h</c> and <c>grant_table.h</c> give what it and <c>gntdev.h</c> use (<c>domid_t</c>, <c>xen_pfn_t</c>,
    /// <c>grant_ref_t</c>). <c>gntdev.h</c> does not include it, so every compile includes it first.
    /// </summary>
    private static string InterfaceShim(string workDir)
    {
        string dir = Path.Combine(workDir, "linux-interface-shim");
        Directory.CreateDirectory(Path.Combine(dir, "xen", "interface"));
        File.WriteAllText(Path.Combine(dir, "xen", "interface", "xen.h"), "#include <xen/xen.h>\n#include <xen/grant_table.h>\n");
        return dir;
    }

    /// <summary>The UAPI's <c>linux/</c> and <c>asm*/</c> folders alone, so nothing else of the host's C library is visible.</summary>
    private static string UapiBase(string workDir, string linuxInclude)
    {
        string dir = Path.Combine(workDir, "linux-uapi-base");
        if (Directory.Exists(dir)) return dir;
        string tmp = dir + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        Directory.CreateSymbolicLink(Path.Combine(tmp, "linux"), Path.Combine(linuxInclude, "linux"));
        Directory.CreateSymbolicLink(Path.Combine(tmp, "asm-generic"), Path.Combine(linuxInclude, "asm-generic"));
        Directory.CreateSymbolicLink(Path.Combine(tmp, "asm"), Path.Combine(linuxInclude, "x86_64-linux-gnu", "asm"));
        Directory.Move(tmp, dir);
        return dir;
    }

    private static List<string> ErrorLines(string output, string fallback)
    {
        var lines = output.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).ToList();
        if (lines.Count == 0) lines.Add(fallback + ": " + output.Trim());
        return lines;
    }
}
