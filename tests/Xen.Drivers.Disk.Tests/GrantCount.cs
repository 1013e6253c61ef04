using Xen.Nexus.Grants;

namespace Xen.Drivers.Disk.Tests;

/// <summary>How many grant references a guest's table has out, for the disk and network grant-lifetime tests.</summary>
internal static class GrantCount
{
    /// <summary>References granted now: the table's entries less the free ones (the table may grow while a device connects).</summary>
    public static int InUse(GrantTable table) => table.FrameCount * GrantTable.ReferencesPerFrame - table.FreeCount;

    /// <summary>Asserts (bounded) that the table is back to <paramref name="before"/> references with nothing deferred.</summary>
    public static async Task AssertBackToAsync(GrantTable table, int before)
    {
        // An end of access the backend still held back is retried by the next grant; do that retry here.
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((InUse(table) != before || table.DeferredCount != 0) && DateTime.UtcNow < until)
        {
            table.RetryDeferred();
            await Task.Delay(20);
        }
        Assert.Equal(0, table.DeferredCount);
        Assert.Equal(before, InUse(table));
    }
}
