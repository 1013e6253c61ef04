namespace Xen.XenStore.Client.Tests.Hostctl;

/// <summary>hostctl(8)'s interface, run in process against our server.</summary>
public sealed class HostctlTests(HostctlFixture hostctl) : IClassFixture<HostctlFixture>
{
    private XenStoreClient Admin => hostctl.Store.Admin;

    [Fact]
    public async Task A_key_and_a_value_write_the_node_under_the_home_path_and_print_the_value()
    {
        var (status, output, error) = await hostctl.RunAsync("attr/written", "hello world");
        Assert.Equal((0, "hello world\n", ""), (status, output, error));
        Assert.Equal("hello world", await Admin.ReadStringAsync("/local/domain/0/attr/written"));
    }

    [Fact]
    public async Task A_key_alone_reads_it_and_absolute_keys_are_taken_as_they_are()
    {
        await Admin.WriteAsync("/hostctl-absolute/key", "42");
        Assert.Equal((0, "42\n", ""), await hostctl.RunAsync("/hostctl-absolute/key"));
        await Admin.WriteAsync("/local/domain/0/data/read-me", "relative");
        Assert.Equal((0, "relative\n", ""), await hostctl.RunAsync("data/read-me"));
    }

    [Fact]
    public async Task Reading_a_directory_lists_its_children_one_per_line()
    {
        await Admin.WriteAsync("/local/domain/0/listed/a", "1");
        await Admin.WriteAsync("/local/domain/0/listed/b/c", "2");
        await Admin.MkdirAsync("/local/domain/0/listed/d");
        Assert.Equal((0, "a\nb\nd\n", ""), await hostctl.RunAsync("listed"));
    }

    [Fact]
    public async Task Quiet_prints_nothing_and_t_prints_the_hypervisor_type()
    {
        await Admin.WriteAsync("/local/domain/0/quiet", "shh");
        Assert.Equal((0, "", ""), await hostctl.RunAsync("-q", "quiet"));
        Assert.Equal((0, "", ""), await hostctl.RunAsync("-q", "quiet", "new"));
        Assert.Equal("new", await Admin.ReadStringAsync("/local/domain/0/quiet"));
        Assert.Equal((0, "Xen\n", ""), await hostctl.RunAsync("-t"));
        var output = new StringWriter();
        Assert.Equal(0, await Xen.XenStore.Hostctl.Hostctl.RunAsync(["-t"], output, TextWriter.Null));
        Assert.Equal("Xen\n", output.ToString());
    }

    [Fact]
    public async Task Input_file_gives_the_value_and_output_file_takes_what_is_printed()
    {
        string input = Path.GetTempFileName();
        string output = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, "from a file\nsecond line ignored\n");
            Assert.Equal((0, "", ""), await hostctl.RunAsync("-q", "-i", input, "data/from-file"));
            Assert.Equal("from a file", await Admin.ReadStringAsync("/local/domain/0/data/from-file"));
            Assert.Equal((0, "", ""), await hostctl.RunAsync("-o", output, "data/from-file"));
            Assert.Equal("from a file\n", await File.ReadAllTextAsync(output));
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData(new string[0], "no key")]
    [InlineData(new[] { "-x", "key" }, "unknown option -x")]
    [InlineData(new[] { "a", "b", "c" }, "too many arguments")]
    [InlineData(new[] { "-i" }, "option -i needs an argument")]
    [InlineData(new[] { "-i", "/etc/hostname", "key", "value" }, "cannot both be given")]
    public async Task Bad_arguments_print_the_problem_and_the_usage_and_exit_1(string[] args, string problem)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = await Xen.XenStore.Hostctl.Hostctl.RunAsync(args, output, error);
        Assert.Equal(1, status);
        Assert.Equal("", output.ToString());
        Assert.Contains(problem, error.ToString());
        Assert.Contains("usage: hostctl", error.ToString());
    }

    [Fact]
    public async Task Store_errors_are_reported_with_exit_1()
    {
        var (status, output, error) = await hostctl.RunAsync("no/such/key");
        Assert.Equal((1, ""), (status, output));
        Assert.Contains("ENOENT", error);
        Assert.Contains("/local/domain/0/no/such/key", error);

        (status, _, error) = await hostctl.RunAsync("bad key", "v");
        Assert.Equal(1, status);
        Assert.Contains("EINVAL", error);

        (status, _, error) = await hostctl.RunAsync("-i", "/nonexistent/input", "k");
        Assert.Equal(1, status);
        Assert.Contains("/nonexistent/input", error);

        var missing = new StringWriter();
        status = await Xen.XenStore.Hostctl.Hostctl.RunAsync(["-f", "/nonexistent/socket", "k"], TextWriter.Null, missing);
        Assert.Equal(1, status);
        Assert.Contains("cannot connect to xenstored at /nonexistent/socket", missing.ToString());
    }
}
