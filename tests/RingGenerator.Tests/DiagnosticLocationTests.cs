using Microsoft.CodeAnalysis;
using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>A diagnostic about a model element is placed at that element in the model file and names its C header and line.</summary>
public class DiagnosticLocationTests
{
    private static readonly (string Path, string Text) X64 = ModelFile("Models/test/x86_64.abi.json");

    [Fact]
    public void ARingThatCannotBeGeneratedIsReportedAtTheRingInTheModel()
    {
        var model = (X64.Path, Replace(X64.Text, "\"name\": \"req_event\"", "\"name\": \"req_evt\""));
        var d = Assert.Single(Problems(Run([model], Settings("test", "x86_64")).Diagnostics));
        Assert.Equal("XENGEN006", d.Id);
        Assert.Contains("(C: io/demo.h:55)", d.GetMessage());
        AssertAt(d, model, "\"name\": \"demo\"");
    }

    [Fact]
    public void AnOpaqueFieldIsReportedAtItsRecordInTheModel()
    {
        string port = "\"name\": \"port\",\n     \"type\": {\n      \"kind\": \"int\"";
        var model = (X64.Path, Replace(X64.Text, port, port.Replace("\"int\"", "\"other\"")));
        var d = Assert.Single(Problems(Run([model], Settings("test", "x86_64")).Diagnostics));
        Assert.Equal("XENGEN010", d.Id);
        Assert.Contains("struct evtchn_send.port", d.GetMessage());
        Assert.Contains("(C: event_channel.h:10)", d.GetMessage());
        AssertAt(d, model, "\"id\": \"evtchn_send\"");
    }

    [Fact]
    public void ARecordWithAMissingParentIsReportedAtTheRecord()
    {
        var model = (X64.Path, Replace(X64.Text, "\"parent\": \"evtchn_op\"", "\"parent\": \"evtchn_gone\""));
        var d = Assert.Single(Problems(Run([model], Settings("test", "x86_64")).Diagnostics));
        Assert.Equal("XENGEN003", d.Id);
        Assert.Contains("(C: event_channel.h:20)", d.GetMessage());
        AssertAt(d, model, "\"id\": \"evtchn_op.u\"");
    }

    [Fact]
    public void AnUnreadableModelIsReportedAtTheFile()
    {
        var d = Assert.Single(Problems(Run([("m/test/x86_64.abi.json", "{ not json")], Settings("test", "x86_64")).Diagnostics));
        Assert.Equal("m/test/x86_64.abi.json", d.Location.GetLineSpan().Path);
    }

    [Fact]
    public void DiagnosticsCompareEqualAcrossRuns()
    {
        string text = Replace(X64.Text, "\"name\": \"req_event\"", "\"name\": \"req_evt\"");
        var settings = new XenGen.RingGenerator.Settings("test", "x86_64", "*", "Gen.Xen");
        var facts = new XenGen.RingGenerator.CompilationFacts(true, true);
        var first = XenGen.RingGenerator.ModelParser.Parse(X64.Path, text, settings, facts, default);
        var second = XenGen.RingGenerator.ModelParser.Parse(X64.Path, new string(text.AsSpan()), settings, facts, default);
        Assert.Single(first.Diagnostics);
        Assert.Equal(first, second);
    }

    private static void AssertAt(Diagnostic d, (string Path, string Text) model, string element)
    {
        var span = d.Location.GetLineSpan();
        Assert.Equal(model.Path, span.Path);
        int offset = model.Text.IndexOf(element, StringComparison.Ordinal);
        int line = model.Text[..offset].Count(c => c == '\n');
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.Equal(element, model.Text.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
    }

    private static string Replace(string text, string old, string replacement)
    {
        Assert.Contains(old, text);
        return text.Replace(old, replacement);
    }
}
