using System.CommandLine;
using System.Text;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

// xenstore-ls: every node below PATH, one a line, indented one space per level, as `name = "value"`; with -p the
// node's permissions follow. Talks to the daemon's unix socket (--socket, else $XENSTORED_PATH, else the default).
var path = new Argument<string>("path") { Description = "Where to start", DefaultValueFactory = _ => "/" };
var perms = new Option<bool>("-p", "--perms") { Description = "Show each node's permissions" };
var socket = new Option<string?>("--socket") { Description = "The xenstored socket (default: $XENSTORED_PATH, else /var/run/xenstored/socket)" };
var root = new RootCommand("Lists a XenStore subtree") { path, perms, socket };
root.SetAction(async (result, cancellation) =>
{
    try
    {
        string? socketPath = result.GetValue(socket);
        await using var client = new XenStoreClient(XsUnixSocketTransport.Connect(socketPath));
        var output = new StringBuilder();
        await ListAsync(client, result.GetValue(path)!.TrimEnd('/'), 0, result.GetValue(perms), output, cancellation);
        Console.Out.Write(output);
        return 0;
    }
    catch (Exception e) when (e is XsErrorException or XsConnectionException or IOException)
    {
        Console.Error.WriteLine($"xenstore-ls: {e.Message}");
        return 1;
    }
});
return await root.Parse(args).InvokeAsync();

static async Task ListAsync(XenStoreClient client, string path, int depth, bool perms, StringBuilder output, CancellationToken cancellation)
{
    foreach (string name in await client.DirectoryAsync(path.Length == 0 ? "/" : path, cancellation))
    {
        string child = $"{path}/{name}";
        output.Append(' ', depth).Append(name);
        try
        {
            output.Append(" = \"").Append(Sanitise(await client.ReadAsync(child, cancellation))).Append('"');
        }
        catch (XsNotFoundException)
        {
            output.Append(':'); // removed while we listed
        }
        if (perms) output.Append("  (").Append((await client.GetPermissionsAsync(child, cancellation)).ToString().Replace(' ', ',')).Append(')');
        output.Append('\n');
        await ListAsync(client, child, depth + 1, perms, output, cancellation);
    }
}

// Printable ASCII as it is; a backslash and the usual control characters escaped C-style; other bytes as \xNN.
static string Sanitise(byte[] value)
{
    var text = new StringBuilder(value.Length);
    foreach (byte b in value)
    {
        switch (b)
        {
            case (byte)'\\': text.Append(@"\\"); break;
            case (byte)'\t': text.Append(@"\t"); break;
            case (byte)'\n': text.Append(@"\n"); break;
            case (byte)'\r': text.Append(@"\r"); break;
            case >= 0x20 and < 0x7f: text.Append((char)b); break;
            default: text.Append($"\\x{b:x2}"); break;
        }
    }
    return text.ToString();
}
