using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// The Linux network stack as the peer: two network namespaces, one holding the guest's TAP (bridged to xnf0), the
/// other the backend's (bridged to dom0's vif), so that every packet crosses the frontend, the tx or rx ring, grant
/// copies and netback. ping and iperf3 both ways, and random bytes sent both ways over TCP whose SHA-256 the
/// receiver computes: with offloads on, the receiving kernel trusts our checksum-blank frames, so only the bytes
/// prove them intact. (iperf3 -F does not: it truncates what it writes.)
/// </summary>
[Trait("Category", "Namespaces")]
public sealed partial class NamespaceTrafficTests
{
    private const int FileBytes = 8 << 20;

    [Theory]
    [InlineData("on", "1", 1)]
    [InlineData("off", "2", 1)]
    // Four queues: iperf3's eight parallel streams are eight flows, spread over them by their ports.
    [InlineData("on", "3", 4)]
    public async Task Ping_and_iperf3_both_ways_and_a_file_intact_each_way(string offload, string tag, int queues)
    {
        await using var sim = await XensimNetwork.StartAsync(tag, "--offload", offload, "--queues", queues.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var ns = await NamespacePair.CreateAsync(tag);
        await NamespacePair.PlaceAsync(sim.GuestTap, ns.Guest, NamespacePair.GuestAddress);
        await NamespacePair.PlaceAsync(sim.BackendTap, ns.Backend, NamespacePair.BackendAddress);

        await Ping(ns.Guest, NamespacePair.BackendAddress);
        await Ping(ns.Backend, NamespacePair.GuestAddress);
        var dir = Directory.CreateTempSubdirectory("xnf-iperf-").FullName;
        try
        {
            var file = Path.Combine(dir, "sent");
            await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(FileBytes));
            var gbits = new List<double>();
            foreach (var (server, client, address) in new[] { (ns.Backend, ns.Guest, NamespacePair.BackendAddress), (ns.Guest, ns.Backend, NamespacePair.GuestAddress) })
            {
                gbits.Add(await Iperf(server, client, address, queues == 1 ? ["-t", "2"] : ["-t", "2", "-P", "8"], []));
                var expected = $"{FileBytes} {Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file))).ToLowerInvariant()}";
                Assert.Equal(expected, await SendOverTcp(server, client, address, file));
            }
            Assert.All(gbits, g => Assert.True(g > 0, $"iperf3 moved nothing: {string.Join(", ", gbits)} Gbit/s"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Equal(0, await sim.StopAsync());
        Assert.Contains(sim.Lines(), l => l.StartsWith($"xensim: TAP {sim.GuestTap}: ", StringComparison.Ordinal));
        Assert.Contains(sim.Lines(), l => l.StartsWith("xnf0 at xen0: ", StringComparison.Ordinal) && l.Contains($", {queues} queue{(queues == 1 ? "" : "s")}", StringComparison.Ordinal));
        Assert.DoesNotContain(sim.Lines(), l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
    }

    private const string Receiver = "import socket,hashlib\n"
        + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', 5212)); s.listen(1); print('listening', flush=True)\n"
        + "c,_=s.accept(); h=hashlib.sha256(); n=0\n"
        + "while True:\n b=c.recv(1<<20)\n if not b: break\n h.update(b); n+=len(b)\n"
        + "print(n, h.hexdigest())\n";

    private const string Sender = "import socket,sys,time\n"
        + "for i in range(100):\n try:\n  c=socket.create_connection((sys.argv[1], 5212)); break\n except OSError: time.sleep(0.1)\n"
        + "c.sendall(open(sys.argv[2],'rb').read()); c.close()\n";

    /// <summary>Sends <paramref name="file"/> from <paramref name="client"/> to a receiver in <paramref name="server"/>; its "length sha256".</summary>
    private static async Task<string> SendOverTcp(string server, string client, string address, string file)
    {
        var receiving = NamespacePair.InAsync(server, 60, "python3", "-c", Receiver);
        var (code, output) = await NamespacePair.InAsync(client, 60, "python3", "-c", Sender, address, file);
        Assert.True(code == 0, output);
        var received = await receiving;
        Assert.True(received.Code == 0, received.Output);
        return received.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Trim();
    }

    private static async Task Ping(string ns, string address)
    {
        var (code, output) = await NamespacePair.InAsync(ns, 30, "ping", "-c", "5", "-i", "0.2", "-W", "5", "-s", "1400", address);
        Assert.True(code == 0, output);
        Assert.Contains("5 received", output);
    }

    /// <summary>An iperf3 server for one test in <paramref name="server"/>, its client in <paramref name="client"/>; the receiver's Gbit/s.</summary>
    private static async Task<double> Iperf(string server, string client, string address, string[] clientArgs, string[] serverArgs)
    {
        var serving = NamespacePair.InAsync(server, 60, ["iperf3", "-s", "-1", "-p", "5211", .. serverArgs]);
        (int Code, string Output) run = (-1, "");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            run = await NamespacePair.InAsync(client, 60, ["iperf3", "-c", address, "-p", "5211", .. clientArgs]);
            if (run.Code == 0 || !run.Output.Contains("Connection refused", StringComparison.Ordinal)) break;
            await Task.Delay(100); // the server is not listening yet
        }
        Assert.True(run.Code == 0, run.Output);
        var (code, output) = await serving;
        Assert.True(code == 0, output);
        var receiver = ReceiverRate().Match(run.Output);
        Assert.True(receiver.Success, run.Output);
        var value = double.Parse(receiver.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return receiver.Groups[2].Value switch { "G" => value, "M" => value / 1000, "K" => value / 1e6, _ => value / 1e9 };
    }

    [GeneratedRegex(@"([\d.]+) ([GMK]?)bits/sec\s+receiver")]
    private static partial Regex ReceiverRate();
}
