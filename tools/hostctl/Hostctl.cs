using System.Text;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Hostctl;

/// <summary>
/// What hostctl(8) does with a key on Xen, where pvbus keys are XenStore nodes of the domain: read it (a
/// directory's children one per line, as OpenBSD's xenstore pvbus does), or write it, and print the value unless
/// quiet. A relative key is under the domain's home, <c>XS_GET_DOMAIN_PATH</c> of our domain.
/// </summary>
public static class Hostctl
{
    /// <summary>The hypervisor type printed for <c>-t</c>, as OpenBSD's pvbus names Xen.</summary>
    public const string HypervisorType = "Xen";

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <returns>0 on success, 1 for bad usage or a failed operation (as hostctl's err(3) does).</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (!HostctlArguments.TryParse(args, out var command, out string problem))
        {
            await error.WriteLineAsync($"hostctl: {problem}\n{HostctlArguments.Usage}").ConfigureAwait(false);
            return 1;
        }
        try
        {
            TextWriter? file = command.Output is null ? null : new StreamWriter(command.Output, append: false);
            await using (file)
            {
                await ExecuteAsync(command, file ?? output).ConfigureAwait(false);
            }
            return 0;
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"hostctl: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task ExecuteAsync(HostctlArguments command, TextWriter output)
    {
        if (command.PrintType) await output.WriteLineAsync(HypervisorType).ConfigureAwait(false);
        if (command.Key is null) return;
        string? value = command.Input is not null ? ReadInput(command.Input) : command.Value;
        using var client = Connect(command.Device);
        string path = await ResolveAsync(client, command.Key).ConfigureAwait(false);
        IEnumerable<string> lines;
        if (value is null) lines = await ReadAsync(client, path).ConfigureAwait(false);
        else
        {
            await client.WriteAsync(path, value).ConfigureAwait(false);
            lines = [FirstLine(value)];
        }
        if (command.Quiet) return;
        foreach (string line in lines) await output.WriteLineAsync(line).ConfigureAwait(false);
    }

    /// <summary>The value, or for an empty node with children, the children's names.</summary>
    private static async Task<IEnumerable<string>> ReadAsync(XenStoreClient client, string path)
    {
        string value = await client.ReadStringAsync(path).ConfigureAwait(false);
        if (value.Length > 0) return [FirstLine(value)];
        return await client.DirectoryAsync(path).ConfigureAwait(false);
    }

    /// <summary>A key relative to the domain's home becomes absolute when we know our domain; otherwise the store resolves it.</summary>
    private static async Task<string> ResolveAsync(XenStoreClient client, string key)
    {
        if (key.StartsWith('/')) return key;
        string? home = await client.GetHomePathAsync().ConfigureAwait(false);
        return home is null ? key : home + "/" + key;
    }

    private static XenStoreClient Connect(string? device)
    {
        if (device is null) return XenStoreClient.Open();
        // As hostctl's -f names a device: a path under /dev is a xenbus device, anything else a xenstored socket.
        bool isDevice = device.StartsWith("/dev/", StringComparison.Ordinal);
        return new XenStoreClient(isDevice ? XsXenbusDeviceTransport.Open(device) : XsUnixSocketTransport.Connect(device));
    }

    /// <summary>The value in <paramref name="file"/>, up to its first line end (as hostctl reads <c>-i</c>).</summary>
    private static string ReadInput(string file)
    {
        if (!File.Exists(file)) throw new IOException($"{file}: no such file");
        return FirstLine(File.ReadAllText(file, Encoding.UTF8));
    }

    private static string FirstLine(string value)
    {
        int end = value.IndexOf('\n');
        return end < 0 ? value : value[..end];
    }
}
