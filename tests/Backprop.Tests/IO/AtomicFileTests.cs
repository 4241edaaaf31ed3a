using Backprop.IO;

namespace Backprop.Tests.IO;

/// <summary>AtomicFile writes through symbolic links, in place for devices, and keeps the old file on any failure.</summary>
public class AtomicFileTests
{
    [Fact]
    public void SymbolicLink_ItsTargetIsReplaced_TheLinkStays_AndThePermissionsAreKept()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions and links.
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("real"));
        string target = folder.Write(Path.Combine("real", "file.txt"), "old");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.CreateSymbolicLink(folder.File("link.txt"), Path.Combine("real", "file.txt"));

        AtomicFile.Write(folder.File("link.txt"), stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(Path.Combine("real", "file.txt"), new FileInfo(folder.File("link.txt")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
        Assert.Equal(["file.txt"], Directory.GetFiles(folder.File("real")).Select(Path.GetFileName));
    }

    [Fact]
    public void Target_ResolvesLinksInTheFolders_AndDotDotAfterThem()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File(Path.Combine("a", "b")));
        Directory.CreateSymbolicLink(folder.File("to-b"), Path.Combine("a", "b"));

        // to-b/.. is the folder above b (a), as the system resolves it, not the folder holding the link.
        Assert.Equal(folder.File(Path.Combine("a", "x.txt")), AtomicFile.Target(Path.Combine(folder.Path, "to-b", "..", "x.txt")));
        Assert.Equal(folder.File(Path.Combine("a", "b", "new.txt")), AtomicFile.Target(Path.Combine(folder.Path, "to-b", "new.txt")));
    }

    [Fact]
    public void LinkLoop_IsAnIOException()
    {
        using var folder = new TempFolder();
        File.CreateSymbolicLink(folder.File("one"), "two");
        File.CreateSymbolicLink(folder.File("two"), "one");

        var error = Assert.Throws<IOException>(() => AtomicFile.Write(folder.File("one"), _ => { }));
        Assert.Contains("too many levels of symbolic links", error.Message);
    }

    [Fact]
    public void FailureWhileWriting_KeepsTheOldFile_AndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        string path = folder.Write("file.txt", "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidOperationException("the writer failed");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["file.txt"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Devices_AreWrittenInPlace_AndAFullOneIsOneLine()
    {
        AtomicFile.Write("/dev/null", stream => stream.Write("discarded"u8));
        Assert.True(AtomicFile.IsSpecialFile("/dev/null"));

        var error = Assert.Throws<IOException>(() => AtomicFile.Write("/dev/full", stream => stream.Write(new byte[1 << 17])));
        Assert.Equal("/dev/full: cannot write the file (No space left on device).", error.Message);
    }

    [Fact]
    public void FolderOrMissingFolder_IsRefusedNamingThePath()
    {
        using var folder = new TempFolder();
        Assert.Equal($"{folder.Path}: is a folder, not a file.", Assert.Throws<IOException>(() => AtomicFile.Write(folder.Path, _ => { })).Message);
        string missing = Path.Combine(folder.Path, "nowhere", "file.txt");
        Assert.Equal($"{missing}: the folder {Path.GetDirectoryName(missing)} does not exist.", Assert.Throws<IOException>(() => AtomicFile.Write(missing, _ => { })).Message);
    }

    [Fact]
    public void IsSameFile_KnowsLinksOfBothKinds()
    {
        using var folder = new TempFolder();
        string file = folder.Write("data.csv", "a,b\n");
        File.CreateSymbolicLink(folder.File("soft.csv"), "data.csv");
        folder.HardLink(file, "hard.csv");
        string other = folder.Write("other.csv", "a,b\n");

        Assert.True(AtomicFile.IsSameFile(file, folder.File("soft.csv")));
        Assert.True(AtomicFile.IsSameFile(folder.File("hard.csv"), folder.File("soft.csv")));
        Assert.False(AtomicFile.IsSameFile(file, other));
        Assert.False(AtomicFile.IsSameFile(file, folder.File("not-yet.csv")));
        Assert.True(AtomicFile.IsSameFile(folder.File("not-yet.csv"), Path.Combine(folder.Path, ".", "not-yet.csv")));
    }

    [Fact]
    public void RegularFilesAndFolders_AreNotSpecial()
    {
        using var folder = new TempFolder();
        Assert.False(AtomicFile.IsSpecialFile(folder.Write("plain.txt", "x")));
        Assert.False(AtomicFile.IsSpecialFile(folder.Path));
        Assert.False(AtomicFile.IsSpecialFile(folder.File("missing")));
    }
}
