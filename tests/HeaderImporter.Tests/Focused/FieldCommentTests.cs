using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Which comment documents a field: the comment above it, or the one after it on its line; where Xen tags the comments
/// above with the field each documents (<c>/* @first_sect: ... */</c> over <c>uint8_t first_sect, last_sect;</c>),
/// each declarator gets its own.
/// </summary>
public sealed class FieldCommentTests
{
    private static readonly HeaderText Segment = new(
    [
        "struct blkif_request_segment {",
        "    grant_ref_t gref;        /* reference to I/O buffer frame        */",
        "    /* @first_sect: first sector in frame to transfer (inclusive).   */",
        "    /* @last_sect: last sector in frame to transfer (inclusive).     */",
        "    uint8_t     first_sect, last_sect;",
        "    /* @nr: count */",
        "    uint8_t     pad;",
        "    /* Shared by both. */",
        "    uint8_t     a, b;",
        "};",
    ]);

    [Fact]
    public void Each_declarator_gets_the_comment_tagged_with_its_name()
    {
        Assert.Equal("@first_sect: first sector in frame to transfer (inclusive).", Segment.CommentFor(5, "first_sect"));
        Assert.Equal("@last_sect: last sector in frame to transfer (inclusive).", Segment.CommentFor(5, "last_sect"));
    }

    [Fact]
    public void A_comment_tagged_with_another_field_documents_none()
    {
        Assert.Null(Segment.CommentFor(7, "pad"));
    }

    [Fact]
    public void Untagged_and_trailing_comments_are_shared_as_before()
    {
        Assert.Equal("Shared by both.", Segment.CommentFor(9, "a"));
        Assert.Equal("Shared by both.", Segment.CommentFor(9, "b"));
        Assert.Equal("reference to I/O buffer frame", Segment.CommentFor(2, "gref"));
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void The_imported_blkif_segment_fields_carry_their_own_comments(string release, string arch)
    {
        var segment = Releases.Import(release, arch).Model.Records.Single(r => r.Tag == "blkif_request_segment");
        Assert.StartsWith("@first_sect:", segment.Fields.Single(f => f.Name == "first_sect").Doc);
        Assert.StartsWith("@last_sect:", segment.Fields.Single(f => f.Name == "last_sect").Doc);
    }
}
