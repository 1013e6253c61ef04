namespace Xen.XenStore.Client.Tests.Scenarios;

public abstract partial class ClientScenarios<TFixture>
{
    [Fact]
    public async Task Dom0_introduces_targets_resumes_and_releases_domains_and_special_watches_fire()
    {
        var admin = Store.Admin;
        Assert.Equal("/local/domain/3", await admin.GetDomainPathAsync(3));
        Assert.True(await admin.IsDomainIntroducedAsync(0));
        Assert.False(await admin.IsDomainIntroducedAsync(42));
        await using var introduced = await admin.WatchAsync(XsPath.IntroduceDomain);
        await using var released = await admin.WatchAsync(XsPath.ReleaseDomain);
        Assert.Equal(XsPath.IntroduceDomain, (await NextEvent(introduced)).Path);
        Assert.Equal(XsPath.ReleaseDomain, (await NextEvent(released)).Path);

        await admin.IntroduceAsync(42, 0x1234, 5);
        await admin.IntroduceAsync(43, 0x1235, 6);
        Assert.Equal(XsPath.IntroduceDomain, (await NextEvent(introduced)).Path);
        Assert.True(await admin.IsDomainIntroducedAsync(42));
        await admin.SetTargetAsync(43, 42);
        await admin.ResumeAsync(42);
        await admin.ReleaseAsync(43);
        await admin.ReleaseAsync(42);
        Assert.Equal(XsPath.ReleaseDomain, (await NextEvent(released)).Path);
        Assert.False(await admin.IsDomainIntroducedAsync(42));
        await Assert.ThrowsAsync<XsNotFoundException>(() => admin.ReleaseAsync(42));
        await Assert.ThrowsAsync<XsInvalidArgumentException>(() => admin.GetDomainPathAsync(XenH.DomidFirstReserved));
        Assert.Contains("print", await admin.ControlAsync(["help"]));
    }

    [Fact]
    public async Task Reset_watches_ends_every_subscription()
    {
        using var client = Store.Connect();
        string area = Area();
        var first = await client.WatchAsync(area + "/a");
        var second = await client.WatchAsync(area + "/b");
        await client.ResetWatchesAsync();
        foreach (var ended in new[] { first, second })
        {
            var events = new List<XsWatchEvent>();
            await foreach (var e in ended.WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token)) events.Add(e);
            Assert.Equal([new XsWatchEvent(ended.Path, ended.Token)], events);
        }
        await using var again = await client.WatchAsync(area + "/a", first.Token);
        Assert.Equal(area + "/a", (await NextEvent(again)).Path);
    }
}
