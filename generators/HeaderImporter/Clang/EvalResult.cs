using System.Runtime.InteropServices;

namespace XenGen.HeaderImporter.Clang;

/// <summary>What clang's constant evaluator made of a declaration's initializer.</summary>
internal readonly record struct EvalResult(CXEvalResultKind Kind, bool IsUnsigned, ulong Unsigned, long Signed, string? Text)
{
    /// <summary>Evaluates <paramref name="cursor"/> (a variable: its initializer); null when clang cannot.</summary>
    public static EvalResult? Evaluate(Cursor cursor)
    {
        nint r = NativeMethods.CursorEvaluate(cursor.Raw);
        if (r == 0) return null;
        try
        {
            var kind = NativeMethods.EvalResultGetKind(r);
            return kind switch
            {
                CXEvalResultKind.Int => new EvalResult(kind, NativeMethods.EvalResultIsUnsignedInt(r) != 0,
                    NativeMethods.EvalResultGetAsUnsigned(r), NativeMethods.EvalResultGetAsLongLong(r), null),
                CXEvalResultKind.StrLiteral => new EvalResult(kind, false, 0, 0, Marshal.PtrToStringUTF8(NativeMethods.EvalResultGetAsStr(r))),
                _ => new EvalResult(kind, false, 0, 0, null),
            };
        }
        finally
        {
            NativeMethods.EvalResultDispose(r);
        }
    }
}
