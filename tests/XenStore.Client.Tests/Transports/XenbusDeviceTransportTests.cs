using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Transports;

/// <summary>
/// The <c>/dev/xen/xenbus</c> transport. This machine has no /dev/xen, so the device is stood in for by a
/// descriptor speaking the same stream: a unix socket connected to our server, driven through the transport's
/// own poll/read/write on the raw descriptor.
/// </summary>
public sealed class XenbusDeviceTransportTests(SocketStoreFixture store) : IClassFixture<SocketStoreFixture>
{
    [Fact]
    public async Task Requests_watches_and_transactions_work_over_a_descriptor_standing_in_for_the_device()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(store.SocketPath));
        var handle = new SafeFileHandle(socket.Handle, ownsHandle: false);
        using var client = new XenStoreClient(new XsXenbusDeviceTransport(handle, "stand-in for /dev/xen/xenbus"));
        Assert.Null(client.DomainId);
        Assert.Null(await client.GetHomePathAsync());

        await client.WriteAsync("/xenbus-device/a", "1");
        Assert.Equal("1", await client.ReadStringAsync("/xenbus-device/a"));
        await using var watch = await client.WatchAsync("/xenbus-device");
        Assert.Equal("/xenbus-device", (await watch.NextAsync()).Path);
        await client.RunTransactionAsync(t => t.WriteAsync("/xenbus-device/b", "2"));
        Assert.Equal("/xenbus-device/b", (await watch.NextAsync()).Path);
        var values = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.ReadStringAsync("/xenbus-device/b")));
        Assert.All(values, v => Assert.Equal("2", v));
    }

    [Fact]
    public async Task Disposing_ends_a_receive_blocked_on_the_descriptor()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(store.SocketPath));
        var client = new XenStoreClient(new XsXenbusDeviceTransport(new SafeFileHandle(socket.Handle, ownsHandle: false), "stand-in"));
        await client.ReadAsync("/");
        var started = DateTime.UtcNow;
        client.Dispose();
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Without_dev_xen_opening_the_device_is_a_clear_connection_error()
    {
        Assert.False(File.Exists(XsXenbusDeviceTransport.DefaultPath), "this test expects a machine without /dev/xen");
        var e = Assert.Throws<XsConnectionException>(() => XsXenbusDeviceTransport.Open());
        Assert.Contains("/dev/xen/xenbus", e.Message);
    }
}
