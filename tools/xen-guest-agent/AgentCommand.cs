using System.Runtime.InteropServices;
using Xen.GuestAgent.Control;
using Xen.GuestAgent.Network;
using Xen.GuestAgent.Publishing;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

namespace Xen.GuestAgent.Tool;

/// <summary>Runs the agent as the settings say, until SIGTERM or SIGINT (or once).</summary>
internal static class AgentCommand
{
    public static async Task<int> RunAsync(AgentSettings settings)
    {
        var options = new GuestAgentOptions
        {
            Layout = KeyLayout.Named(settings.Layout)!,
            MemoryInterval = settings.MemoryInterval,
            ShutdownCommand = settings.ShutdownCommand is { } command ? new ShutdownCommand(command) : null,
        };
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        NetlinkMonitor network;
        try
        {
            network = new NetlinkMonitor(Log);
        }
        catch (IOException e)
        {
            Log(e.Message);
            return 1;
        }
        using (network)
        {
            var agent = new GuestAgent(options, _ => Task.FromResult(Connect(settings)), network, Log);
            try
            {
                if (settings.DryRun)
                {
                    await network.Ready.WaitAsync(stop.Token).ConfigureAwait(false);
                    var state = agent.Collect();
                    if (settings.Once) state = state with { ShutdownFeatures = false };
                    KeyTable.Write(Console.Out, options.Layout, options.Layout.Keys(state), TimeProvider.System.GetLocalNow());
                    return 0;
                }
                if (settings.Once)
                {
                    await agent.PublishOnceAsync(stop.Token).ConfigureAwait(false);
                    return 0;
                }
                await agent.RunAsync(stop.Token).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Log("stopped");
                return 0;
            }
            catch (Exception e) when (e is XsConnectionException or XsErrorException or IOException or System.Net.Sockets.SocketException)
            {
                Log(e.Message);
                return 1;
            }
        }
    }

    private static XenStoreClient Connect(AgentSettings settings)
    {
        if (settings.Socket is { } socket) return new XenStoreClient(XsUnixSocketTransport.Connect(socket));
        if (settings.Xenbus is { } device) return new XenStoreClient(XsXenbusDeviceTransport.Open(device));
        return XenStoreClient.Open();
    }

    private static void Log(string line) => Console.Error.WriteLine("xen-guest-agent: " + line);
}
