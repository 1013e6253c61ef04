using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace XenGen.RingGenerator
{
    /// <summary>An immutable array with value equality, so specs holding lists compare by content between runs.</summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly ImmutableArray<T> _items;

        public EquatableArray(ImmutableArray<T> items) => _items = items;

        public static EquatableArray<T> Empty => new EquatableArray<T>(ImmutableArray<T>.Empty);

        private ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

        public int Count => Items.Length;

        public T this[int index] => Items[index];

        public bool Equals(EquatableArray<T> other)
        {
            var a = Items;
            var b = other.Items;
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            int h = 17;
            foreach (var item in Items) h = unchecked(h * 31 + (item is null ? 0 : item.GetHashCode()));
            return h;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    internal static class EquatableArray
    {
        public static EquatableArray<T> ToEquatable<T>(this IEnumerable<T> items) where T : IEquatable<T> =>
            new EquatableArray<T>(items.ToImmutableArray());
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets netstandard2.0 code use records and init accessors.</summary>
    internal static class IsExternalInit
    {
    }
}
