using System;
using System.Collections.Generic;
using System.Globalization;

namespace Xen.Abi.Model.Json
{
    /// <summary>Kinds of value in the model's small JSON document object model.</summary>
    public enum JsonKind
    {
        /// <summary>The literal <c>null</c>.</summary>
        Null,
        /// <summary><c>true</c> or <c>false</c>.</summary>
        Bool,
        /// <summary>A number, kept as its exact source text so 64-bit values survive.</summary>
        Number,
        /// <summary>A string.</summary>
        String,
        /// <summary>An ordered list of values.</summary>
        Array,
        /// <summary>An object whose members keep their written order.</summary>
        Object,
    }

    /// <summary>One JSON value. Objects keep member order so that written output is deterministic.</summary>
    public sealed class JsonNode
    {
        private readonly List<JsonNode>? _items;
        private readonly List<KeyValuePair<string, JsonNode>>? _members;

        private JsonNode(JsonKind kind, string? text, List<JsonNode>? items, List<KeyValuePair<string, JsonNode>>? members)
        {
            Kind = kind;
            Text = text;
            _items = items;
            _members = members;
        }

        /// <summary>The kind of this value.</summary>
        public JsonKind Kind { get; }

        /// <summary>The string value, the number's text, or "true"/"false"; null for containers and null.</summary>
        public string? Text { get; }

        /// <summary>The shared <c>null</c> value.</summary>
        public static JsonNode Null { get; } = new JsonNode(JsonKind.Null, null, null, null);

        /// <summary>A string value.</summary>
        public static JsonNode Str(string value) => new JsonNode(JsonKind.String, value ?? throw new ArgumentNullException(nameof(value)), null, null);

        /// <summary>A string value, or <see cref="Null"/> when <paramref name="value"/> is null.</summary>
        public static JsonNode StrOrNull(string? value) => value is null ? Null : Str(value);

        /// <summary>A boolean value.</summary>
        public static JsonNode Bool(bool value) => new JsonNode(JsonKind.Bool, value ? "true" : "false", null, null);

        /// <summary>A signed integer.</summary>
        public static JsonNode Num(long value) => new JsonNode(JsonKind.Number, value.ToString(CultureInfo.InvariantCulture), null, null);

        /// <summary>An unsigned integer.</summary>
        public static JsonNode Num(ulong value) => new JsonNode(JsonKind.Number, value.ToString(CultureInfo.InvariantCulture), null, null);

        /// <summary>A number given by its exact text (already validated by the reader).</summary>
        internal static JsonNode NumText(string text) => new JsonNode(JsonKind.Number, text, null, null);

        /// <summary>A new, empty array.</summary>
        public static JsonNode NewArray() => new JsonNode(JsonKind.Array, null, new List<JsonNode>(), null);

        /// <summary>A new, empty object.</summary>
        public static JsonNode NewObject() => new JsonNode(JsonKind.Object, null, null, new List<KeyValuePair<string, JsonNode>>());

        /// <summary>The items of an array.</summary>
        public IReadOnlyList<JsonNode> Items => _items ?? throw new InvalidOperationException("not a JSON array");

        /// <summary>The members of an object, in written order.</summary>
        public IReadOnlyList<KeyValuePair<string, JsonNode>> Members => _members ?? throw new InvalidOperationException("not a JSON object");

        /// <summary>Appends an item to an array; returns this array.</summary>
        public JsonNode Add(JsonNode item)
        {
            (_items ?? throw new InvalidOperationException("not a JSON array")).Add(item);
            return this;
        }

        /// <summary>Appends a member to an object; returns this object.</summary>
        public JsonNode Set(string name, JsonNode value)
        {
            (_members ?? throw new InvalidOperationException("not a JSON object")).Add(new KeyValuePair<string, JsonNode>(name, value));
            return this;
        }

        /// <summary>Appends a member only when <paramref name="value"/> is not null: optional fields are left out.</summary>
        public JsonNode SetOptional(string name, JsonNode? value)
        {
            if (value != null && value.Kind != JsonKind.Null)
            {
                Set(name, value);
            }
            return this;
        }

        /// <summary>The member called <paramref name="name"/>, or null when absent.</summary>
        public JsonNode? Get(string name)
        {
            foreach (var m in Members)
            {
                if (m.Key == name)
                {
                    return m.Value;
                }
            }
            return null;
        }
    }
}
