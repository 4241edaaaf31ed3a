using Backprop.IO;

namespace Backprop.Tests.IO;

/// <summary>A FileIdentity knows every name of one file, is found once per path, and compares without the disk.</summary>
public class FileIdentityTests
{
    [Fact]
    public void EveryNameOfOneFile_IsOneIdentity_AndOtherFilesAreNot()
    {
        if (OperatingSystem.IsWindows()) return; // Symbolic and hard links as Unix makes them.
        using var folder = new TempFolder();
        string file = folder.Write("data.csv", "a,b\n");
        Directory.CreateDirectory(folder.File("sub"));
        File.CreateSymbolicLink(folder.File("soft.csv"), "data.csv");
        Directory.CreateSymbolicLink(folder.File("same-folder"), folder.Path);
        folder.HardLink(file, "hard.csv");
        var identity = FileIdentity.Of(file);

        string[] names =
        [
            folder.File("soft.csv"),
            folder.File("hard.csv"),
            Path.Combine(folder.Path, "sub", "..", "data.csv"),
            Path.Combine(folder.Path, "same-folder", "soft.csv"),
            Path.GetRelativePath(Directory.GetCurrentDirectory(), file),
        ];
        foreach (string name in names)
        {
            var other = FileIdentity.Of(name);
            Assert.True(other == identity, name);
            Assert.Equal(identity.GetHashCode(), other.GetHashCode());
        }
        Assert.NotEqual(identity, FileIdentity.Of(folder.Write("other.csv", "a,b\n")));
        Assert.NotEqual(identity, FileIdentity.Of(folder.File("not-yet.csv")));
        Assert.Equal(FileIdentity.Of(folder.File("not-yet.csv")), FileIdentity.Of(Path.Combine(folder.Path, ".", "not-yet.csv")));
        // Linux file systems tell names apart by case, so DATA.CSV is another (missing) file there.
        if (OperatingSystem.IsLinux()) Assert.NotEqual(identity, FileIdentity.Of(folder.File("DATA.CSV")));
    }

    [Fact]
    public void Target_IsThePathWithLinksResolved_AndHashSetsFindEveryName()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string file = folder.Write("data.csv", "a,b\n");
        File.CreateSymbolicLink(folder.File("soft.csv"), "data.csv");
        folder.HardLink(file, "hard.csv");

        Assert.Equal(AtomicFile.Target(file), FileIdentity.Of(folder.File("soft.csv")).Target);
        var inputs = new[] { file, folder.Write("other.csv", "x\n") }.Select(FileIdentity.Of).ToHashSet();
        Assert.Contains(FileIdentity.Of(folder.File("hard.csv")), inputs);
        Assert.DoesNotContain(FileIdentity.Of(folder.File("new.csv")), inputs);
    }

    [Fact]
    public void Comparing_ReadsNothingFromTheDisk()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string file = folder.Write("data.csv", "a,b\n");
        File.CreateSymbolicLink(folder.File("soft.csv"), "data.csv");
        var throughLink = FileIdentity.Of(folder.File("soft.csv"));
        var direct = FileIdentity.Of(file);

        // Once the link names another file, a fresh look sees it; the identities made before still compare as they were found.
        File.Delete(folder.File("soft.csv"));
        folder.Write("soft.csv", "another file\n");

        Assert.True(throughLink == direct);
        Assert.False(FileIdentity.Of(folder.File("soft.csv")) == direct);
    }

    [Fact]
    public void IsSpecialFile_ForADevice_NotForAFileOrAMissingOne()
    {
        if (!OperatingSystem.IsLinux()) return; // .NET tells devices from files only through Linux's statx here.
        using var folder = new TempFolder();
        Assert.True(FileIdentity.Of("/dev/null").IsSpecialFile);
        Assert.False(FileIdentity.Of(folder.Write("data.csv", "a\n")).IsSpecialFile);
        Assert.False(FileIdentity.Of(folder.File("missing.csv")).IsSpecialFile);
    }
}
