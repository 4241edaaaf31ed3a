using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace Backprop.Package.Tests;

/// <summary>Each library package holds what a maintainer publishes: metadata, README, licence, docs, symbols.</summary>
[Collection(PackedRepositoryCollection.Name)]
public sealed class LibraryPackageTests(PackedRepository packed)
{
    [Fact]
    public void EveryLibraryPackage_HasReadmeLicenceAuthorsDescriptionRepositoryAndXmlDocs()
    {
        Assert.Contains("Backprop", packed.LibraryIds);
        foreach (string id in packed.LibraryIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.Version}.nupkg"));
            var metadata = Nuspec(package);
            XNamespace ns = metadata.Name.Namespace;
            Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
            Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
            Assert.Equal("Backprop contributors", metadata.Element(ns + "authors")?.Value);
            string description = metadata.Element(ns + "description")?.Value ?? "";
            Assert.True(description.Length > 40 && description != "Package Description", $"{id}: description '{description}'");
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "tags")?.Value), $"{id} has no tags");
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.NotNull(package.GetEntry("README.md"));
            var repository = metadata.Element(ns + "repository");
            Assert.Equal("git", repository?.Attribute("type")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository?.Attribute("commit")?.Value ?? "");
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
            Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml"));
        }
    }

    [Fact]
    public void EveryLibrarysSymbols_TravelAsSnupkg_WithSourcePathsOfNoMachine()
    {
        foreach (string id in packed.LibraryIds)
        {
            using var symbols = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.Version}.snupkg"));
            var pdb = symbols.GetEntry($"lib/net10.0/{id}.pdb");
            Assert.NotNull(pdb);
            using var stream = new MemoryStream();
            using (var entry = pdb.Open()) entry.CopyTo(stream);
            stream.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
            var reader = provider.GetMetadataReader();
            var documents = reader.Documents.Select(handle => reader.GetString(reader.GetDocument(handle).Name)).ToList();
            Assert.NotEmpty(documents);
            // ContinuousIntegrationBuild maps the repository to /_/; generated files (obj/) are under it too.
            Assert.All(documents, name => Assert.StartsWith("/_/", name));
        }
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        var document = XDocument.Load(stream);
        return document.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }
}
