using System.CommandLine;
using Spectre.Console;
using XenGen.HeaderImporter;
using XenGen.Tool.Verify;

namespace XenGen.Tool.Commands;

/// <summary>
/// <c>xengen verify --release R [--arch A|all]</c>: proves the committed models equal to what Debian's clang
/// makes of the fetched headers.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var command = new Command("verify", "Prove the committed ABI models with the C compiler (_Static_assert for every fact)");
        var options = new ReleaseArchOptions(command);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            var pins = options.Pins(result, catalog);
            var arches = options.Arches(result);
            string modelsDir = Path.GetDirectoryName(catalog.SourcePath)!;
            string work = Path.Combine(Path.GetTempPath(), "xengen-verify-" + Environment.ProcessId);
            int failed = 0;
            foreach (var pin in pins)
            {
                foreach (var a in arches)
                {
                    string path = ModelFile.PathOf(modelsDir, pin.Release, a.Name);
                    if (!File.Exists(path)) throw new XenGenException($"{path}: no model; run `xengen import --release {pin.Release}`");
                    var proof = ModelProof.Prove(ModelFile.Read(path), cache.IncludeDirOf(pin.Release), work);
                    foreach (var f in proof.Failures.Take(20)) Terminal.WriteError($"{pin.Release} {a.Name}: {f}");
                    if (!proof.Proven) failed++;
                    string status = proof.Proven ? "[green]proven[/]" : $"[red]{proof.Failures.Count} failures[/]";
                    Terminal.Out.MarkupLine($"{Markup.Escape(pin.Release)} {a.Name}: {status}: {proof.Counts}{(proof.RanRuntimeChecks ? " (with run-time checks)" : "")}");
                }
            }
            Directory.Delete(work, recursive: true);
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
