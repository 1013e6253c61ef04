namespace XenGen.Repository.Tests;

/// <summary>
/// Only runtime/Xen.Abi generates ABI types; everything else references it. The generator's own tests and snapshots,
/// and the sample that shows the generator package used alone, are the exceptions.
/// </summary>
public sealed class GeneratorUseTests : IDisposable
{
    private static readonly string[] Allowed =
    [
        "runtime/Xen.Abi/Xen.Abi.csproj",
        "samples/BlkifRing/BlkifRing.csproj",
    ];

    private static readonly string[] AllowedFolders = ["tests/RingGenerator.Tests", "tests/snapshots/"];

    private readonly string _scratch = Directory.CreateTempSubdirectory("generator-use-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void OnlyXenAbiAndTheGeneratorsOwnTestsRunTheGenerator()
    {
        var offenders = GeneratorUse.ProjectsRunningTheGenerator(RepositoryRoot.Path)
            .Where(p => !Allowed.Contains(p) && !AllowedFolders.Any(f => p.StartsWith(f, StringComparison.Ordinal)))
            .ToList();
        Assert.True(offenders.Count == 0, "these projects run the generator instead of referencing runtime/Xen.Abi: " + string.Join(", ", offenders));
    }

    [Fact]
    public void XenAbiIsSeenRunningIt() =>
        Assert.Contains("runtime/Xen.Abi/Xen.Abi.csproj", GeneratorUse.ProjectsRunningTheGenerator(RepositoryRoot.Path));

    [Theory]
    [InlineData("""<ProjectReference Include="..\generators\RingGenerator\RingGenerator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />""")]
    [InlineData("""<PackageReference Include="XenGen.RingGenerator" Version="1.0.0" />""")]
    public void AProjectReferencingTheGeneratorIsFound(string reference)
    {
        Write("app/App.csproj", $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{reference}</ItemGroup></Project>""");
        Write("lib/Lib.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="..\generators\RingGenerator\RingGenerator.csproj" /></ItemGroup></Project>""");
        Assert.Equal(["app/App.csproj"], GeneratorUse.ProjectsRunningTheGenerator(_scratch));
    }

    [Fact]
    public void AProjectImportingTheGeneratorsPropsThroughAnotherFileIsFound()
    {
        Write("shared/Common.props", """<Project><Import Project="..\generators\RingGenerator\build\XenGen.RingGenerator.props" /></Project>""");
        Write("app/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><Import Project="..\shared\Common.props" /></Project>""");
        Write("bin/Copy.csproj", """<Project Sdk="Microsoft.NET.Sdk"><Import Project="..\shared\Common.props" /></Project>""");
        Assert.Equal(["app/App.csproj"], GeneratorUse.ProjectsRunningTheGenerator(_scratch));
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_scratch, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
