using ApprovalTests.Core;
using XenGen.HeaderImporter.Tests.Support;
using Xunit.Sdk;

namespace XenGen.Tests.Snapshots;

/// <summary>
/// Fails a snapshot with a readable unified diff of the approved file against what the generator made now, so a CI
/// log shows what changed (no diff tool is launched; the received file is left beside the approved one).
/// </summary>
internal sealed class UnifiedDiffReporter : IApprovalFailureReporter
{
    public static readonly UnifiedDiffReporter Instance = new();

    public void Report(string approved, string received)
    {
        string approvedText = File.Exists(approved) ? File.ReadAllText(approved) : "";
        string receivedText = File.ReadAllText(received);
        string diff = TextDiff.Unified(approvedText, receivedText, Path.GetFileName(approved), Path.GetFileName(received))
            ?? "(the texts are equal)";
        throw new XunitException(
            $"{Path.GetFileName(approved)} is not what the generator makes now{(File.Exists(approved) ? "" : " (no approved file)")}; " +
            $"re-approve with XENGEN_APPROVE=1 dotnet test tests/snapshots if the change is meant:\n{diff}");
    }
}
