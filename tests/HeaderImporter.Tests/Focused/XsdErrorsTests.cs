using System.Globalization;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// The <c>xsd_errors</c> table of <c>io/xs_wire.h</c>, which the header only defines when the includer's
/// <c>&lt;errno.h&gt;</c> defines <c>EINVAL</c>: a native program that includes glibc's <c>&lt;errno.h&gt;</c> and the
/// header prints the table, and every architecture's model must have exactly those rows in that order.
/// </summary>
public sealed class XsdErrorsTests
{
    private const string Program = """
        #include <errno.h>
        #include <stdint.h>
        #include <stdio.h>
        #include <xen/io/xs_wire.h>

        int main(void)
        {
            printf("%zu\n", sizeof(xsd_errors) / sizeof(xsd_errors[0]));
            for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
                printf("%d %s\n", xsd_errors[i].errnum, xsd_errors[i].errstring);
            return 0;
        }
        """;

    // The program's output depends only on the release's headers: built and run once per release.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Printed = new();

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void The_table_has_the_rows_a_C_program_prints(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        string printed = Printed.GetOrAdd(release, _ => new Lazy<string>(() => CProgram.RunHosted(CContext.Of(model), Program))).Value;
        var lines = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int count = int.Parse(lines[0], CultureInfo.InvariantCulture);
        var expected = lines.Skip(1).Select(l => l.Split(' ', 2)).Select(p => (Number: p[0], Name: p[1])).ToList();
        Assert.Equal(count, expected.Count);
        Assert.True(count >= 10, $"the program printed only {count} rows");
        Assert.Contains(("22", "EINVAL"), expected);

        var table = Assert.Single(model.Tables, t => t.Name == "xsd_errors");
        Assert.Equal("io/xs_wire.h", table.Header);
        Assert.Equal(["errnum", "errstring"], table.Columns);
        Assert.Equal([ConstantKinds.Int, ConstantKinds.String], table.ColumnKinds);
        Assert.Equal("xsd_errors", table.Record);
        Assert.Equal(expected.Select(e => $"{e.Number} {e.Name}"), table.Rows.Select(r => $"{r[0]} {r[1]}"));
    }
}
