namespace Xen.Conformance.Tests;

/// <summary>The comparer finds every kind of difference, so the real-Xen test can fail.</summary>
public sealed class ComparerTests
{
    private static readonly CaseAnswer[] Xen =
    [
        new("dom0", "evtchn.send.closed", "-EINVAL"),
        new("guest", "gnttab.query_size.dom0", "GNTST_permission_denied"),
        new("guest", "xenver.get_features.submap0", "0 submap=0x00002705"),
    ];

    private static readonly AllowedDifference Features =
        new("guest xenver.get_features.submap0", "0 submap=0x00002705", "0 submap=0x00002f38", "PV on Xen, HVM in the simulator");

    private static CaseAnswer[] With(int index, string answer)
    {
        var copy = Xen.ToArray();
        copy[index] = copy[index] with { Answer = answer };
        return copy;
    }

    [Fact]
    public void The_same_answers_conform()
    {
        var result = ConformanceComparer.Compare(Xen, Xen, []);
        Assert.True(result.Conformant, result.ToString());
        Assert.Equal(3, result.Same);
    }

    [Fact]
    public void A_wrong_answer_fails_and_is_named()
    {
        var result = ConformanceComparer.Compare(Xen, With(0, "0"), []);
        Assert.False(result.Conformant);
        Assert.Equal("dom0 evtchn.send.closed: Xen '-EINVAL', simulator '0'", Assert.Single(result.Problems));
    }

    [Fact]
    public void A_listed_difference_is_allowed_with_exactly_its_answers()
    {
        var simulator = With(2, "0 submap=0x00002f38");
        Assert.True(ConformanceComparer.Compare(Xen, simulator, [Features]).Conformant);
        var other = ConformanceComparer.Compare(Xen, With(2, "0 submap=0x00000001"), [Features]);
        Assert.Contains("but the listed difference is", Assert.Single(other.Problems));
    }

    [Fact]
    public void A_listed_difference_that_is_gone_fails()
    {
        var result = ConformanceComparer.Compare(Xen, Xen, [Features]);
        Assert.Contains("listed as a difference", Assert.Single(result.Problems));
        var unanswered = ConformanceComparer.Compare(Xen, Xen, [Features with { Key = "dom0 no.such.case" }]);
        Assert.Contains("no side answered it", Assert.Single(unanswered.Problems));
    }

    [Fact]
    public void A_case_missing_or_answered_twice_fails()
    {
        Assert.Contains("the simulator did not answer", Assert.Single(ConformanceComparer.Compare(Xen, Xen[..2], []).Problems));
        Assert.Contains("Xen did not answer", Assert.Single(ConformanceComparer.Compare(Xen[1..], Xen, []).Problems));
        Assert.Contains("answered twice", Assert.Single(ConformanceComparer.Compare([.. Xen, Xen[0]], Xen, []).Problems));
    }

    [Fact]
    public void Answer_lines_parse_back_and_other_lines_are_skipped()
    {
        string text = string.Join("\n", Xen.Select(a => a.ToString())) + "\r\n(XEN) noise\nconformance-info dom0: ports 5 6\n";
        Assert.Equal(Xen, CaseAnswer.ParseAll(text));
    }
}
