namespace System
{
    /// <summary>A string literal as ILC lays it out: the length, then the UTF-16 characters.</summary>
    public sealed unsafe class String
    {
#pragma warning disable CS0649
        private readonly int _length;
        private char _firstChar;
#pragma warning restore CS0649

        public int Length => _length;

        [Runtime.CompilerServices.IndexerName("Chars")]
        public char this[int index]
        {
            get
            {
                fixed (char* first = &_firstChar)
                    return first[index];
            }
        }
    }
}
