namespace Xen.XenStore.Hostctl;

/// <summary>The command line of hostctl(8): <c>hostctl [-qt] [-f device] [-i input] [-o output] key [value]</c>.</summary>
public sealed record HostctlArguments
{
    /// <summary>The usage line printed for bad arguments.</summary>
    public const string Usage = "usage: hostctl [-qt] [-f device] [-i input] [-o output] key [value]";

    /// <summary><c>-q</c>: do not print the value read or written.</summary>
    public bool Quiet { get; init; }

    /// <summary><c>-t</c>: print the hypervisor type.</summary>
    public bool PrintType { get; init; }

    /// <summary><c>-f</c>: the store to use, a unix socket or a xenbus device; the default is libxenstore's choice.</summary>
    public string? Device { get; init; }

    /// <summary><c>-i</c>: read the value to write from this file.</summary>
    public string? Input { get; init; }

    /// <summary><c>-o</c>: print to this file instead of standard output.</summary>
    public string? Output { get; init; }

    /// <summary>The key, absolute or relative to the domain's home.</summary>
    public string? Key { get; init; }

    /// <summary>The value to write, when given on the command line.</summary>
    public string? Value { get; init; }

    /// <summary>Parses the arguments the way getopt(3) does (flags may be grouped, option values attached or separate).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="problem">What is wrong, when parsing fails.</param>
    /// <returns>Whether the arguments are valid.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out HostctlArguments parsed, out string problem)
    {
        parsed = new HostctlArguments();
        problem = "";
        int i = 0;
        for (; i < args.Count && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] == "--") { i++; break; }
            for (int j = 1; j < args[i].Length; j++)
            {
                char flag = args[i][j];
                if (flag is 'q') { parsed = parsed with { Quiet = true }; continue; }
                if (flag is 't') { parsed = parsed with { PrintType = true }; continue; }
                if (flag is not ('f' or 'i' or 'o')) { problem = $"unknown option -{flag}"; return false; }
                string? value = j + 1 < args[i].Length ? args[i][(j + 1)..] : (++i < args.Count ? args[i] : null);
                if (value is null) { problem = $"option -{flag} needs an argument"; return false; }
                parsed = flag switch
                {
                    'f' => parsed with { Device = value },
                    'i' => parsed with { Input = value },
                    _ => parsed with { Output = value },
                };
                break;
            }
        }
        var rest = args.Skip(i).ToArray();
        if (rest.Length > 2) { problem = "too many arguments"; return false; }
        if (rest.Length == 0 && !parsed.PrintType) { problem = "no key"; return false; }
        if (rest.Length == 2 && parsed.Input is not null) { problem = "a value and -i cannot both be given"; return false; }
        if (rest.Length > 0 && rest[0].Length == 0) { problem = "the key is empty"; return false; }
        parsed = parsed with { Key = rest.ElementAtOrDefault(0), Value = rest.ElementAtOrDefault(1) };
        return true;
    }
}
