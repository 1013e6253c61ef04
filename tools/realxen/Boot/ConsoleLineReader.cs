using System.Text;

namespace XenGen.RealXen.Boot;

/// <summary>
/// Splits a console byte stream into lines at <c>\n</c> only, dropping the <c>\r</c>s before it: a serial console
/// ends lines with <c>\r\r\n</c> when both Xen and the tty add a carriage return, which <see cref="TextReader.ReadLine"/>
/// would take for two lines.
/// </summary>
internal sealed class ConsoleLineReader(Stream stream)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();
    private readonly Queue<string> _ready = new();
    private readonly byte[] _bytes = new byte[4096];
    private readonly char[] _chars = new char[4096 + 4];
    private bool _ended;

    /// <summary>The next line, or null at the end of the stream (a last line without <c>\n</c> is returned first).</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancel)
    {
        while (_ready.Count == 0 && !_ended)
        {
            var read = await stream.ReadAsync(_bytes, cancel);
            if (read == 0)
            {
                _ended = true;
                if (_line.Length > 0) Complete();
                break;
            }
            var count = _decoder.GetChars(_bytes, 0, read, _chars, 0);
            for (var i = 0; i < count; i++)
            {
                if (_chars[i] == '\n') Complete();
                else _line.Append(_chars[i]);
            }
        }
        return _ready.TryDequeue(out var line) ? line : null;
    }

    private void Complete()
    {
        var length = _line.Length;
        while (length > 0 && _line[length - 1] == '\r') length--;
        _ready.Enqueue(_line.ToString(0, length));
        _line.Clear();
    }
}
