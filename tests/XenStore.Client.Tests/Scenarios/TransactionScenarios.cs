using System.Globalization;

namespace Xen.XenStore.Client.Tests.Scenarios;

public abstract partial class ClientScenarios<TFixture>
{
    [Fact]
    public async Task A_transaction_is_isolated_until_it_commits_and_abort_discards()
    {
        using var client = Store.Connect();
        using var other = Store.Connect();
        string area = Area();
        await client.MkdirAsync(area);
        var transaction = await client.StartTransactionAsync();
        await transaction.WriteAsync(area + "/x", "1");
        Assert.Equal("1", await transaction.ReadStringAsync(area + "/x"));
        Assert.False(await other.ExistsAsync(area + "/x"));
        await transaction.CommitAsync();
        Assert.Equal("1", await other.ReadStringAsync(area + "/x"));

        var aborted = await client.StartTransactionAsync();
        await aborted.WriteAsync(area + "/y", "2");
        await aborted.AbortAsync();
        Assert.False(await other.ExistsAsync(area + "/y"));
    }

    [Fact]
    public async Task Conflicting_transactions_fail_with_EAGAIN()
    {
        using var first = Store.Connect();
        using var second = Store.Connect();
        string node = Area() + "/counter";
        await first.WriteAsync(node, "0");
        var transaction = await first.StartTransactionAsync();
        Assert.Equal("0", await transaction.ReadStringAsync(node));
        await second.WriteAsync(node, "5");
        await transaction.WriteAsync(node, "1");
        var e = await Assert.ThrowsAsync<XsTransactionConflictException>(() => transaction.CommitAsync());
        Assert.Equal("EAGAIN", e.Error.Name);
        Assert.Equal("5", await first.ReadStringAsync(node));
    }

    [Fact]
    public async Task RunTransaction_retries_after_EAGAIN_and_the_retry_commits()
    {
        using var client = Store.Connect();
        using var intruder = Store.Connect();
        string node = Area() + "/counter";
        await client.WriteAsync(node, "10");
        var attempts = new List<int>();
        int result = await client.RunTransactionAsync(async transaction =>
        {
            attempts.Add(transaction.Attempt);
            int value = int.Parse(await transaction.ReadStringAsync(node), CultureInfo.InvariantCulture);
            if (transaction.Attempt == 1) await intruder.WriteAsync(node, "100");
            await transaction.WriteAsync(node, (value + 1).ToString(CultureInfo.InvariantCulture));
            return value + 1;
        });
        Assert.Equal([1, 2], attempts);
        Assert.Equal(101, result);
        Assert.Equal("101", await intruder.ReadStringAsync(node));
    }

    [Fact]
    public async Task Concurrent_read_modify_write_transactions_from_two_clients_lose_no_update()
    {
        using var a = Store.Connect(new XenStoreClientOptions { TransactionAttempts = 100 });
        using var b = Store.Connect(new XenStoreClientOptions { TransactionAttempts = 100 });
        string node = Area() + "/counter";
        await a.WriteAsync(node, "0");
        async Task Increment(XenStoreClient client)
        {
            for (int i = 0; i < 10; i++)
            {
                await client.RunTransactionAsync(async t =>
                {
                    int value = int.Parse(await t.ReadStringAsync(node), CultureInfo.InvariantCulture);
                    await t.WriteAsync(node, (value + 1).ToString(CultureInfo.InvariantCulture));
                });
            }
        }
        await Within(Task.WhenAll(Increment(a), Increment(b)).ContinueWith(_ => true), 60);
        Assert.Equal("20", await a.ReadStringAsync(node));
    }

    [Fact]
    public async Task RunTransaction_gives_up_after_the_configured_attempts()
    {
        using var client = Store.Connect(new XenStoreClientOptions { TransactionAttempts = 3 });
        using var intruder = Store.Connect();
        string node = Area() + "/contended";
        await client.WriteAsync(node, "0");
        int runs = 0;
        await Assert.ThrowsAsync<XsTransactionConflictException>(() => client.RunTransactionAsync(async t =>
        {
            runs++;
            await t.ReadAsync(node);
            await intruder.WriteAsync(node, runs.ToString(CultureInfo.InvariantCulture));
            await t.WriteAsync(node, "mine");
        }));
        Assert.Equal(3, runs);
        Assert.Equal("3", await client.ReadStringAsync(node));
    }

    [Fact]
    public async Task An_exception_in_the_body_aborts_and_propagates()
    {
        using var client = Store.Connect();
        string node = Area() + "/never";
        XsTransaction? seen = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.RunTransactionAsync(async t =>
        {
            seen = t;
            await t.WriteAsync(node, "x");
            throw new InvalidOperationException("body failed");
        }));
        Assert.True(seen!.IsEnded);
        Assert.False(await client.ExistsAsync(node));
        await Assert.ThrowsAsync<XsNotFoundException>(() => seen.ReadAsync(Store.Home));
    }
}
