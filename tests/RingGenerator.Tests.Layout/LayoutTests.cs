using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Abi.Model;
using Xunit;

namespace XenGen.Tests.Layout;

/// <summary>
/// Every record of the model against the type generated for it in this assembly: found by the naming rule of
/// generators/RingGenerator/README.md (implemented here on its own), the same size, and every field where the model
/// puts it, measured by writing through the field and looking at which bytes or bits of the struct changed.
/// </summary>
public class LayoutTests
{
    private static readonly AbiModel Model = ModelJson.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "model.abi.json")), "model.abi.json");
    private static readonly string Root = typeof(LayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "XenAbiNamespace").Value!;
    private static readonly Dictionary<string, RecordDecl> Records = Model.Records.ToDictionary(r => r.Id);
    private static readonly HashSet<string> Skipped = Model.Headers.Where(h => h.Skipped != null).Select(h => h.Path).ToHashSet();

    public static TheoryData<string> RecordIds()
    {
        var data = new TheoryData<string>();
        foreach (var r in Model.Records.Where(r => r.Size > 0 && !Skipped.Contains(r.Header))) data.Add(r.Id);
        return data;
    }

    [Fact]
    public void TheModelIsTheOneThisAssemblyWasGeneratedFor()
    {
        Assert.NotEmpty(Model.Records);
        Assert.All(Model.Records.Where(r => r.Size > 0 && !Skipped.Contains(r.Header)), r => Assert.NotNull(FindType(r)));
    }

    [Theory]
    [MemberData(nameof(RecordIds))]
    public void RecordLayoutMatchesTheModel(string id)
    {
        var record = Records[id];
        var type = FindType(record) ?? throw new Xunit.Sdk.XunitException($"no type for {id} (expected {ExpectedName(record)})");
        Assert.True(type.IsValueType, $"{type} is not a struct"); // SizeOf below also requires it to be unmanaged
        Assert.Equal(record.Size, SizeOf(type));
        var problems = new List<string>();
        foreach (var field in record.Fields)
        {
            try
            {
                CheckField(type, record, field);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
            {
                problems.Add($"{field.Name ?? "(anonymous)"}: {e.Message}");
            }
        }
        Assert.True(problems.Count == 0, $"{type}: " + string.Join("; ", problems));
    }

    public static TheoryData<string> Headers()
    {
        var data = new TheoryData<string>();
        foreach (var h in Model.Headers.Where(h => h.Skipped == null)) data.Add(h.Path);
        return data;
    }

    /// <summary>The header's enums (size, signedness, every value) and its constants class (every macro and anonymous enumerator).</summary>
    [Theory]
    [MemberData(nameof(Headers))]
    public void EnumsAndConstantsMatchTheModel(string header)
    {
        Assert.True(Named);
        var assembly = typeof(LayoutTests).Assembly;
        foreach (var e in Model.Enums.Where(e => e.Header == header && (e.Tag != null || e.Typedef != null)))
        {
            var type = assembly.GetType(EnumNames[e.Id]) ?? throw new Xunit.Sdk.XunitException($"no enum {EnumNames[e.Id]} for {e.Id}");
            var underlying = Enum.GetUnderlyingType(type);
            Assert.Equal(e.Size, Marshal.SizeOf(underlying));
            Assert.Equal(e.Signed, Convert.ToInt64(underlying.GetField("MinValue")!.GetValue(null)) < 0);
            string scope = EnumNames[e.Id];
            Claim(scope, scope[(scope.LastIndexOf('.') + 1)..]);
            foreach (var c in e.Constants) AssertValue(type, Claim(scope, Pascal(c.Name)), c.Value, c.Name);
        }
        var values = Model.Constants.Where(c => c.Header == header && (c.Kind == ConstantKinds.String || c.Size is 1 or 2 or 4 or 8))
            .Select(c => (c.Name, c.Value))
            .Concat(Model.Enums.Where(e => e.Header == header && e.Tag == null && e.Typedef == null && e.Size is 1 or 2 or 4 or 8)
                .SelectMany(e => e.Constants.Select(c => (c.Name, c.Value))))
            .ToList();
        if (values.Count == 0) return;
        string cls = HeaderClasses[header];
        var holder = assembly.GetType(cls) ?? throw new Xunit.Sdk.XunitException($"no constants class {cls} for {header}");
        var classScope = new HashSet<string> { cls[(cls.LastIndexOf('.') + 1)..] };
        foreach (var (name, value) in values)
        {
            string wanted = Pascal(name), member = wanted;
            for (int n = 2; !classScope.Add(member); n++) member = wanted + "_" + n;
            AssertValue(holder, member, value, name);
        }
    }

    private static void AssertValue(Type holder, string member, string expected, string cName)
    {
        var field = holder.GetField(member, BindingFlags.Public | BindingFlags.Static) ?? throw new Xunit.Sdk.XunitException($"{holder} has no {member} for {cName}");
        object raw = field.GetRawConstantValue()!;
        string actual = raw is string text ? text : System.Numerics.BigInteger.Parse(Convert.ToString(raw is Enum ? Convert.ChangeType(raw, Enum.GetUnderlyingType(raw.GetType())) : raw, System.Globalization.CultureInfo.InvariantCulture)!).ToString();
        Assert.True(expected == actual, $"{holder}.{member} ({cName}) is {actual}, the model says {expected}");
    }

    private static void CheckField(Type type, RecordDecl record, FieldDecl field)
    {
        if (field.Name == null && field.Type.Kind != TypeKinds.Record) return; // unnamed padding bitfield
        string name = Pascal(field.Name ?? field.Type.Record![(field.Type.Record!.LastIndexOf('.') + 1)..]);
        if (field.BitWidth is int width)
        {
            if (width == 0) return;
            var property = Member(type, name, n => type.GetProperty(n));
            CheckBits(type, property, field.OffsetBits, width, record.Size);
            return;
        }
        bool flexible = field.Flexible || IsFlexibleArray(field.Type);
        if (flexible)
        {
            var method = Member(type, name, n => type.GetMethod(n, [typeof(int)]));
            Assert.True(method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Span<>), $"{name} does not return a span");
            return;
        }
        if (field.Size == 0) return;
        var info = Member(type, name, n => type.GetField(n));
        Assert.Equal(field.OffsetBits / 8, (long)info.GetCustomAttribute<FieldOffsetAttribute>()!.Value);
        Assert.Equal(field.Size, SizeOf(info.FieldType));
        CheckBytes(type, info, field.OffsetBits / 8, field.Size, record.Size);
    }

    /// <summary>Writes all-ones bytes into the field of a zeroed struct: exactly the field's bytes change.</summary>
    private static void CheckBytes(Type type, FieldInfo info, long offset, long size, long recordSize)
    {
        object value = FromBytes(info.FieldType, Enumerable.Repeat((byte)0xFF, (int)size).ToArray());
        object boxed = Activator.CreateInstance(type)!;
        info.SetValue(boxed, value);
        byte[] bytes = ToBytes(type, boxed);
        for (long i = 0; i < recordSize; i++)
        {
            byte expected = i >= offset && i < offset + size ? (byte)0xFF : (byte)0;
            if (bytes[i] != expected) throw new Xunit.Sdk.XunitException($"writing {info.Name} changed byte {i} to {bytes[i]:x2}; the model puts it at bytes {offset}..{offset + size - 1}");
        }
    }

    /// <summary>Sets a bitfield to all ones in a zeroed struct: exactly its bits change; then a small value round-trips.</summary>
    private static void CheckBits(Type type, PropertyInfo property, long firstBit, int width, long recordSize)
    {
        object boxed = Activator.CreateInstance(type)!;
        property.SetValue(boxed, AllOnes(property.PropertyType));
        byte[] bytes = ToBytes(type, boxed);
        for (long bit = 0; bit < recordSize * 8; bit++)
        {
            bool set = (bytes[bit / 8] & (1 << (int)(bit % 8))) != 0;
            if (set != (bit >= firstBit && bit < firstBit + width)) throw new Xunit.Sdk.XunitException($"setting {property.Name} left bit {bit} {(set ? "set" : "clear")}; the model puts it at bits {firstBit}..{firstBit + width - 1}");
        }
        if (width >= 2 && property.PropertyType != typeof(bool))
        {
            object one = Convert.ChangeType(1, property.PropertyType);
            property.SetValue(boxed, one);
            Assert.Equal(one, property.GetValue(boxed));
        }
    }

    private static object AllOnes(Type t) =>
        t == typeof(bool) ? true : FromBytes(t, Enumerable.Repeat((byte)0xFF, Marshal.SizeOf(t)).ToArray());

    private static T Member<T>(Type type, string name, Func<string, T?> find) where T : class
    {
        foreach (var candidate in new[] { name, name + "_2", name + "_3" })
        {
            if (find(candidate) is T found) return found;
        }
        throw new Xunit.Sdk.XunitException($"{type} has no member {name}");
    }

    private static bool IsFlexibleArray(TypeRef t)
    {
        for (var x = t; x.Kind == TypeKinds.Array && x.Element != null; x = x.Element)
        {
            if (x.Count is null or 0) return true;
        }
        return false;
    }

    // ---- the naming rule, written independently of the generator ----

    private static readonly Dictionary<string, HashSet<string>> Scopes = new();
    private static readonly Dictionary<string, string> ExpectedNames = new();
    private static readonly Dictionary<string, string> EnumNames = new();
    private static readonly Dictionary<string, string> HeaderClasses = new();
    private static readonly bool Named = NameEverything();

    private static Type? FindType(RecordDecl r) => typeof(LayoutTests).Assembly.GetType(ExpectedName(r));

    private static string ExpectedName(RecordDecl r) => Named ? ExpectedNames[r.Id] : throw new InvalidOperationException();

    /// <summary>
    /// Type names in model order: a top-level record is named from its id (less a trailing _t) in its header's
    /// namespace; an anonymous nested record from its member name plus Union/Struct inside its parent; a name
    /// already taken in the same scope gets _2, _3, ...
    /// </summary>
    private static bool NameEverything()
    {
        var names = ExpectedNames;
        bool Nested(RecordDecl r) => r.Parent != null && r.Tag == null && r.Typedef == null;
        foreach (var r in Model.Records.Where(r => !Nested(r)))
        {
            string ns = Namespace(r.Header);
            string name = Claim(ns, Pascal(StripT(r.Id)));
            names[r.Id] = ns + "." + name;
            Claim(r.Id, name);
        }
        string NestedName(RecordDecl r)
        {
            if (names.TryGetValue(r.Id, out var known)) return known;
            var parent = Records[r.Parent!];
            string parentName = NestedName(parent);
            if (!Scopes.ContainsKey(parent.Id)) Claim(parent.Id, parentName[(parentName.LastIndexOfAny(['.', '+']) + 1)..]);
            string last = r.Id[(r.Id.LastIndexOf('.') + 1)..];
            return names[r.Id] = parentName + "+" + Claim(parent.Id, Pascal(last) + (r.Kind == "union" ? "Union" : "Struct"));
        }
        foreach (var r in Model.Records.Where(Nested)) NestedName(r);
        foreach (var e in Model.Enums.Where(e => e.Tag != null || e.Typedef != null))
        {
            EnumNames[e.Id] = Namespace(e.Header) + "." + Claim(Namespace(e.Header), Pascal(StripT(e.Tag ?? e.Typedef!)));
        }
        foreach (var h in Model.Headers)
        {
            string ns = Namespace(h.Path), cls = Pascal(Path.GetFileNameWithoutExtension(h.Path));
            HeaderClasses[h.Path] = ns + "." + Claim(ns, IsTaken(ns, cls) ? cls + "Constants" : cls);
        }
        return true;
    }

    private static string Claim(string scope, string wanted)
    {
        if (!Scopes.TryGetValue(scope, out var taken)) Scopes[scope] = taken = [];
        string name = wanted;
        for (int n = 2; !taken.Add(name); n++) name = wanted + "_" + n;
        return name;
    }

    private static bool IsTaken(string scope, string name) => Scopes.TryGetValue(scope, out var taken) && taken.Contains(name);

    private static string Namespace(string header) => Root + string.Concat(header.Split('/')[..^1].Select(p => "." + Pascal(p)));

    private static string StripT(string c) => c.Length > 2 && c.EndsWith("_t", StringComparison.Ordinal) ? c[..^2] : c;

    private static string Pascal(string c)
    {
        var sb = new StringBuilder();
        foreach (var part in c.Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries))
        {
            string p = part.Any(char.IsLower) ? part : part.ToLowerInvariant();
            sb.Append(char.ToUpperInvariant(p[0])).Append(p[1..]);
        }
        return c.StartsWith('_') || (sb.Length > 0 && char.IsDigit(sb[0])) ? "_" + sb : sb.ToString();
    }

    // ---- raw memory of a boxed unmanaged struct ----

    private static long SizeOf(Type t) => (int)Generic(nameof(SizeOfCore), t).Invoke(null, null)!;

    private static byte[] ToBytes(Type t, object boxed) => (byte[])Generic(nameof(ToBytesCore), t).Invoke(null, [boxed])!;

    private static object FromBytes(Type t, byte[] bytes) => Generic(nameof(FromBytesCore), t).Invoke(null, [bytes])!;

    private static MethodInfo Generic(string name, Type t) =>
        typeof(LayoutTests).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t);

    private static int SizeOfCore<T>() where T : unmanaged => Unsafe.SizeOf<T>();

    private static byte[] ToBytesCore<T>(object boxed) where T : unmanaged
    {
        T value = (T)boxed;
        return MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
    }

    private static object FromBytesCore<T>(byte[] bytes) where T : unmanaged => MemoryMarshal.Read<T>(bytes);
}
