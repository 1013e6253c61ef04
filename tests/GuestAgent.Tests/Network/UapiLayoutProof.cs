using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Xen.GuestAgent.Network;
using Xen.GuestAgent.Tests.Support;

namespace Xen.GuestAgent.Tests.Network;

/// <summary>
/// A C file of <c>_Static_assert</c>s for every constant, struct and field of the agent marked <see cref="UapiNameAttribute"/>
/// (value; size, offset and field size as .NET lays them out), compiled by clang against the Linux uapi headers.
/// </summary>
internal static class UapiLayoutProof
{
    private static readonly string[] Headers =
    [
        "stddef.h", "errno.h", "poll.h", "sys/socket.h", "sys/eventfd.h", "net/if.h",
        "linux/netlink.h", "linux/rtnetlink.h", "linux/if_addr.h", "linux/if_link.h",
    ];

    /// <summary>The names proven, so a test can check that none is left out.</summary>
    public static IEnumerable<string> Names(Assembly assembly) =>
        Constants(assembly).Select(c => c.Name).Concat(Structs(assembly).Select(s => s.Attribute.Name));

    /// <summary>The C source; <paramref name="mutate"/> may change a constant's value to show the proof can fail.</summary>
    public static string Source(Assembly assembly, Func<string, long, long>? mutate = null)
    {
        var c = new StringBuilder();
        foreach (string header in Headers) c.Append("#include <").Append(header).Append(">\n");
        foreach (var (name, value) in Constants(assembly))
        {
            long claimed = mutate?.Invoke(name, value) ?? value;
            c.Append(CultureInfo.InvariantCulture, $"_Static_assert((long long)({name}) == {claimed}LL, \"{name} is {claimed}\");\n");
        }
        foreach (var (type, attribute) in Structs(assembly))
        {
            string cType = attribute.Name;
            int size = Marshal.SizeOf(type);
            string relation = attribute.IsPrefix ? ">=" : "==";
            c.Append(CultureInfo.InvariantCulture, $"_Static_assert(sizeof({cType}) {relation} {size}, \"sizeof({cType}) {relation} {size}\");\n");
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                string cField = field.GetCustomAttribute<UapiNameAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name}.{field.Name} has no C name");
                long offset = Marshal.OffsetOf(type, field.Name);
                int fieldSize = Marshal.SizeOf(field.FieldType);
                c.Append(CultureInfo.InvariantCulture, $"_Static_assert(offsetof({cType}, {cField}) == {offset}, \"offsetof({cType}, {cField}) == {offset}\");\n");
                c.Append(CultureInfo.InvariantCulture, $"_Static_assert(sizeof((({cType} *)0)->{cField}) == {fieldSize}, \"sizeof {cType}.{cField} == {fieldSize}\");\n");
            }
        }
        return c.ToString();
    }

    /// <summary>clang <c>-fsyntax-only</c> on <paramref name="source"/>.</summary>
    public static Processes.Result Compile(string source) =>
        Processes.Run("/usr/bin/clang", ["-fsyntax-only", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-x", "c", "-"], stdin: source);

    private static IEnumerable<(string Name, long Value)> Constants(Assembly assembly) =>
        from type in assembly.GetTypes()
        from field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
        let attribute = field.GetCustomAttribute<UapiNameAttribute>()
        where attribute is not null && field.IsLiteral
        select (attribute.Name, Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture));

    private static IEnumerable<(Type Type, UapiNameAttribute Attribute)> Structs(Assembly assembly) =>
        from type in assembly.GetTypes()
        let attribute = type.GetCustomAttribute<UapiNameAttribute>()
        where attribute is not null && type.IsValueType
        select (type, attribute);
}
