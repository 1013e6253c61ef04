namespace Xen.GuestAgent.Tests.Support;

/// <summary>Debian's xenstore-utils (libxenstore) on a socket: the reader no one here wrote.</summary>
internal sealed class XenstoreTools(string socket)
{
    private Dictionary<string, string> Environment => new() { ["XENSTORED_PATH"] = socket };

    /// <summary><c>xenstore-read KEY</c>: the value, or null when it fails (no such key, no daemon).</summary>
    public string? Read(string key)
    {
        var result = Processes.Run("/usr/bin/xenstore-read", [key], Environment);
        return result.ExitCode == 0 ? result.Stdout.TrimEnd('\n') : null;
    }

    public void Write(string key, string value) =>
        Assert.Equal(0, Processes.Run("/usr/bin/xenstore-write", [key, value], Environment).ExitCode);

    /// <summary><c>xenstore-ls -f PATH</c> as full path to value.</summary>
    public Dictionary<string, string> List(string path)
    {
        var result = Processes.Run("/usr/bin/xenstore-ls", ["-f", path], Environment);
        Assert.True(result.ExitCode == 0, result.Describe("xenstore-ls -f " + path));
        var listing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = line.IndexOf(" = \"", StringComparison.Ordinal);
            Assert.True(eq > 0 && line.EndsWith('"'), "xenstore-ls line: " + line);
            listing[line[..eq]] = line[(eq + 4)..^1];
        }
        return listing;
    }
}
