namespace System.Runtime
{
    // ILC binds its cast and array-store helpers here. The kernel has no casts between classes and no object arrays,
    // so reaching one is a bug: it is named and the CPU halts.
    internal static unsafe class TypeCast
    {
        private static void* Unsupported(string what)
        {
            Internal.Runtime.CompilerHelpers.ThrowHelpers.Fail(what);
            return null;
        }

        internal static object IsInstanceOfAny(void* type, object obj) { Unsupported("isinst"); return null; }
        internal static object IsInstanceOfInterface(void* type, object obj) { Unsupported("isinst"); return null; }
        internal static object IsInstanceOfClass(void* type, object obj) { Unsupported("isinst"); return null; }
        internal static bool IsInstanceOfException(void* type, object obj) { Unsupported("isinst"); return false; }
        internal static object CheckCastAny(void* type, object obj) { Unsupported("castclass"); return null; }
        internal static object CheckCastInterface(void* type, object obj) { Unsupported("castclass"); return null; }
        internal static object CheckCastClass(void* type, object obj) { Unsupported("castclass"); return null; }
        internal static object CheckCastClassSpecial(void* type, object obj) { Unsupported("castclass"); return null; }
        internal static void StelemRef(object[] array, nint index, object obj) => Unsupported("stelem.ref");
        internal static ref object LdelemaRef(object[] array, nint index, void* elementType)
        {
            Unsupported("ldelema.ref");
            return ref array[0];
        }
    }
}
