namespace Xen.Conformance;

/// <summary>
/// Collects a side's answers and hands each to <paramref name="write"/> (a console line on real Xen); with
/// <paramref name="writeAnswers"/> false only the info lines go there (the guest's answers reach the log through dom0).
/// </summary>
public sealed class CaseLog(string side, Action<string>? write = null, bool writeAnswers = true)
{
    private readonly List<CaseAnswer> answers = [];

    /// <summary><c>dom0</c> or <c>guest</c>.</summary>
    public string Side => side;

    /// <summary>What was answered so far.</summary>
    public IReadOnlyList<CaseAnswer> Answers
    {
        get
        {
            lock (answers) return answers.ToArray();
        }
    }

    /// <summary>Records <paramref name="answer"/> for case <paramref name="name"/>.</summary>
    public void Answer(string name, string answer)
    {
        var line = new CaseAnswer(side, name, answer);
        lock (answers) answers.Add(line);
        if (writeAnswers) write?.Invoke(line.ToString());
    }

    /// <summary>Runs <paramref name="body"/> and records its answer; an exception is the answer, so one case cannot stop the rest.</summary>
    public void Run(string name, Func<string> body)
    {
        string answer;
        try
        {
            answer = body();
        }
        catch (Exception e)
        {
            answer = $"exception {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
        }
        Answer(name, answer);
    }

    /// <summary>A line that is not an answer (what the case acted on), for the reader of the log.</summary>
    public void Info(string text) => write?.Invoke($"conformance-info {side}: {text}");
}
