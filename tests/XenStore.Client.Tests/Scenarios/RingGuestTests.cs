using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Scenarios;

/// <summary>What only an unprivileged guest on its ring sees: the server's permission and quota errors, typed.</summary>
public sealed class RingGuestTests(RingStoreFixture store) : IClassFixture<RingStoreFixture>
{
    [Fact]
    public async Task A_guest_is_denied_what_it_may_not_read_or_write()
    {
        await store.Admin.WriteAsync("/local/domain/0/secret", "dom0 only");
        using var guest = store.Connect();
        var read = await Assert.ThrowsAsync<XsPermissionDeniedException>(() => guest.ReadAsync("/local/domain/0/secret"));
        Assert.Equal("EACCES", read.Error.Name);
        await Assert.ThrowsAsync<XsPermissionDeniedException>(() => guest.WriteAsync("/local/domain/0/secret", "mine"));
        await Assert.ThrowsAsync<XsPermissionDeniedException>(() => guest.IntroduceAsync(50, 1, 1));
        Assert.Equal("dom0 only", await store.Admin.ReadStringAsync("/local/domain/0/secret"));
    }

    [Fact]
    public async Task A_value_over_the_guest_quota_fails_with_the_typed_ENOSPC()
    {
        using var guest = store.Connect();
        var e = await Assert.ThrowsAsync<XsLimitExceededException>(() => guest.WriteAsync("quota/big", new byte[store.Server.Quotas.MaxValueSize + 1]));
        Assert.Equal("ENOSPC", e.Error.Name);
        await guest.WriteAsync("quota/fits", new byte[store.Server.Quotas.MaxValueSize]);
    }
}
