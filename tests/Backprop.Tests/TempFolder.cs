namespace Backprop.Tests;

/// <summary>A fresh folder for files a test writes, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backprop-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] content)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string Write(string name, string content)
    {
        string path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A second name, <paramref name="name"/> in this folder, for the file <paramref name="existing"/> (.NET has no call for it).</summary>
    public string HardLink(string existing, string name)
    {
        string link = File(name);
        using var ln = System.Diagnostics.Process.Start("ln", [existing, link])!;
        ln.WaitForExit();
        if (ln.ExitCode != 0) throw new IOException($"ln {existing} {link} failed with exit code {ln.ExitCode}.");
        return link;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
