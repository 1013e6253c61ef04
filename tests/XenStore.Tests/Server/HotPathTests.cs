namespace Xen.XenStore.Tests.Server;

public class HotPathTests
{
    [Fact]
    public void PathsOfLiveNodesResolveToTheNodesOwnString()
    {
        var table = new XsPathTable();
        string live = "/local/domain/3/name";
        table.Add(live);
        Assert.True(table.TryResolve("/local/domain/3/name"u8, 0, out var absolute));
        Assert.Same(live, absolute);
        Assert.True(table.TryResolve("name"u8, 3, out var relative));
        Assert.Same(live, relative);
        Assert.True(table.TryResolve("/not/there"u8, 0, out var fresh));
        Assert.Equal("/not/there", fresh);
        table.Remove(live);
        Assert.True(table.TryResolve("name"u8, 3, out var removed));
        Assert.NotSame(live, removed);
        Assert.False(table.TryResolve("/bad//path"u8, 0, out _));
    }

    [Fact]
    public void ReadingAnExistingNodeAllocatesOnlyTheReplyBuffersHandle()
    {
        var server = new XenStoreServer();
        var connection = server.Connect(0, "hot path", () => { });
        byte[] Frame(XsdSockmsgType type, string payload) => Support.Frames.Build(type, 1, 0, System.Text.Encoding.ASCII.GetBytes(payload));
        void Send(byte[] frame)
        {
            XsFrame.TryDecode(frame, out var header, out var payload, out _);
            server.Process(connection, header, payload);
            while (connection.TryDequeue(out var reply)) reply.Dispose();
        }
        Send(Frame(XsdSockmsgType.XsWrite, "/local/domain/0/device/vif/0/state\04"));
        var read = Frame(XsdSockmsgType.XsRead, "/local/domain/0/device/vif/0/state\0");
        for (int i = 0; i < 1000; i++) Send(read);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Reads = 10_000;
        for (int i = 0; i < Reads; i++) Send(read);
        long perRead = (GC.GetAllocatedBytesForCurrentThread() - before) / Reads;
        Assert.True(perRead <= 48, $"{perRead} bytes allocated per read");
    }
}
