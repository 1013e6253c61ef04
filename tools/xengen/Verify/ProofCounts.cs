namespace XenGen.Tool.Verify;

/// <summary>How many facts of a model a C proof asserts.</summary>
public sealed class ProofCounts
{
    /// <summary>Records whose size and alignment are asserted.</summary>
    public int Records { get; set; }

    /// <summary>Field offsets (and sizes) asserted, bitfield positions included.</summary>
    public int Fields { get; set; }

    /// <summary>Integer and string constants, enumerators and table rows asserted.</summary>
    public int Constants { get; set; }

    /// <summary>Typedef sizes asserted.</summary>
    public int Typedefs { get; set; }

    /// <summary>Adds another count to this one.</summary>
    public void Add(ProofCounts other)
    {
        Records += other.Records;
        Fields += other.Fields;
        Constants += other.Constants;
        Typedefs += other.Typedefs;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Records} records, {Fields} fields, {Constants} constants, {Typedefs} typedefs";
}
