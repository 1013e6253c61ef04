using Xen.Abi.Io;
using Xen.Drivers.Xbf.Rings;

namespace Xen.Drivers.Disk.Tests;

/// <summary>A request submitted as its queue is closed (the disk unplugged under a caller) fails as a disconnect.</summary>
public sealed class QueueStopTests
{
    [Fact]
    public async Task A_submit_after_the_queue_is_disposed_fails_as_disconnected_not_as_disposed()
    {
        await using var bed = new DiskBed();
        var queue = XbfQueue.Create(bed.Dom0.Services, (ushort)bed.Domain.DomainId, 0, 0, _ => { });
        queue.AllocateSlots(1, 1, persistent: false);
        queue.Dispose();
        var failure = await Assert.ThrowsAsync<BlockDeviceException>(
            () => queue.SubmitAsync(new XbfRequest((byte)Blkif.BlkifOpRead, 0, ReadTarget: new byte[512]), CancellationToken.None));
        Assert.Equal(BlockDeviceFailure.Disconnected, failure.Failure);
    }
}
