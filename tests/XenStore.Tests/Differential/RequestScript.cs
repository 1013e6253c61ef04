using System.Text;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Differential;

/// <summary>One request of a script: which connection sends it, its type and payload, and its transaction (logical: each daemon's own id is substituted).</summary>
/// <param name="Connection">0 or 1.</param>
/// <param name="Type">The message type (unknown values too).</param>
/// <param name="Payload">The payload, as sent.</param>
/// <param name="Transaction">0, a logical transaction number (1, 2, ...) of a <c>TRANSACTION_START</c> before, or <see cref="BogusTransaction"/>.</param>
/// <param name="StartsTransaction">The logical number this <c>TRANSACTION_START</c> gets if it succeeds.</param>
internal sealed record ScriptStep(int Connection, uint Type, byte[] Payload, int Transaction, int StartsTransaction)
{
    /// <summary>A transaction id no daemon handed out.</summary>
    public const int BogusTransaction = -1;

    public override string ToString() =>
        $"conn {Connection} {(Enum.IsDefined((T)Type) ? ((T)Type).ToString() : Type.ToString())} tx {Transaction} \"{Escape(Payload)}\"";

    public static string Escape(byte[] bytes) => string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}"));
}

/// <summary>
/// Seeded sequences of requests, valid and malformed, for two dom0 connections: nodes, permissions, watches,
/// transactions and domains over a small set of paths (so requests meet each other's nodes), with missing
/// terminators, extra arguments, invalid paths, bad permissions, unknown types and unknown transactions.
/// Left out: what the spec leaves to each daemon and we answer differently on purpose (see the README's list).
/// </summary>
internal static class RequestScript
{
    private static readonly string[] Paths =
    [
        "/d", "/d/a", "/d/a/b", "/d/b", "/d/c/x/y", "/d/a/b/c", "a", "a/b", "/", "/tool/xenstored",
        "@introduceDomain", "@releaseDomain", "@other", "/d/a b", "/d//x", "/d/", "", "/local/domain/1/data",
    ];

    private static readonly string[] Values = ["", "v", "0123456789", "with space", "x\0y"];

    private static readonly string[][] PermissionSets =
    [
        // Owned by dom0 only: C xenstored deletes a released domain's nodes, which ours does not (README).
        ["n0"], ["r0"], ["b0"], ["w0", "r1"], ["n0", "r2"], ["x0"], ["n"], ["n0", "bogus"],
    ];

    private static readonly string[] Tokens = ["t", "u", "tok-2"];

    public static List<ScriptStep> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var steps = new List<ScriptStep>(count);
        var open = new List<int>[] { new(), new() };
        int nextTransaction = 0;
        for (int i = 0; i < count; i++)
        {
            int connection = random.Next(2);
            int tx = 0;
            int roll = random.Next(100);
            if (roll < 15 && open[connection].Count > 0) tx = open[connection][random.Next(open[connection].Count)];
            else if (roll < 17) tx = ScriptStep.BogusTransaction;
            var (type, args) = NextRequest(random);
            int starts = 0;
            if (type == T.XsTransactionStart)
            {
                starts = ++nextTransaction;
                open[connection].Add(starts);
            }
            if (type == T.XsTransactionEnd)
            {
                if (open[connection].Count == 0 || random.Next(10) == 0) tx = random.Next(2) == 0 ? ScriptStep.BogusTransaction : 0;
                else
                {
                    tx = open[connection][random.Next(open[connection].Count)];
                    open[connection].Remove(tx);
                }
            }
            var payload = Malform(random, Encode(args));
            uint wireType = random.Next(60) == 0 ? (uint)(random.Next(3) switch { 0 => 42, 1 => (int)T.XsWatchEvent, _ => (int)T.XsError }) : (uint)type;
            steps.Add(new ScriptStep(connection, wireType, payload, tx, starts));
        }
        return steps;
    }

    private static (T Type, string[] Args) NextRequest(Random random)
    {
        string Path() => Paths[random.Next(Paths.Length)];
        string Domain() => random.Next(4).ToString();
        return random.Next(20) switch
        {
            0 or 1 => (T.XsRead, [Path()]),
            2 or 3 or 4 => (T.XsWrite, [Path(), Values[random.Next(Values.Length)]]),
            5 => (T.XsMkdir, [Path()]),
            6 => (T.XsRm, [Path()]),
            7 => (T.XsDirectory, [Path()]),
            8 => (T.XsDirectoryPart, [Path(), random.Next(14).ToString()]),
            9 => (T.XsGetPerms, [Path()]),
            10 => (T.XsSetPerms, [NodePath(random), .. PermissionSets[random.Next(PermissionSets.Length)]]),
            11 or 12 => (T.XsWatch, [Path(), Tokens[random.Next(Tokens.Length)]]),
            13 => (T.XsUnwatch, [Path(), Tokens[random.Next(Tokens.Length)]]),
            14 => (T.XsTransactionStart, [""]),
            15 => (T.XsTransactionEnd, [random.Next(3) == 0 ? "F" : "T"]),
            16 => (T.XsGetDomainPath, [Domain()]),
            17 => (T.XsIsDomainIntroduced, [Domain()]),
            18 => random.Next(2) == 0 ? (T.XsIntroduce, [(1 + random.Next(3)).ToString(), "1234", "5"]) : (T.XsRelease, [(1 + random.Next(3)).ToString()]),
            _ => (T.XsResetWatches, [""]),
        };
    }

    /// <summary>A path of the pool but the two special ones, whose SET_PERMS C answers with two events at times (README).</summary>
    private static string NodePath(Random random)
    {
        string path;
        do path = Paths[random.Next(Paths.Length)];
        while (path is "@introduceDomain" or "@releaseDomain");
        return path;
    }

    /// <summary>The strings NUL-terminated, as every client sends them (a WRITE's value is the raw rest).</summary>
    private static byte[] Encode(string[] args)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < args.Length; i++)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(args[i]));
            bytes.Add(0);
        }
        return bytes.ToArray();
    }

    private static byte[] Malform(Random random, byte[] payload) => random.Next(25) switch
    {
        0 when payload.Length > 0 => payload[..^1],           // the last terminator missing
        1 => [.. payload, .. "extra\0"u8.ToArray()],           // one string too many
        2 => [],                                               // nothing at all
        _ => payload,
    };
}
