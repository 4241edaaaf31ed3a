using System.Runtime.InteropServices;
using Backprop.IO;

namespace Backprop.Cli.Files;

/// <summary>
/// What every command checks before it does any work: each path is resolved through symbolic links (and links among
/// its folders), and hard links to one file are known as one; an output that is one of the inputs, or two outputs that are one file, is a usage error; an input that
/// is a device or a pipe is refused; an output's folder must exist and be writable. Errors name the paths as the user
/// typed them, and nothing has been touched when they are raised.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The option whose outputs (last.safetensors, best.safetensors) may replace the <c>--resume</c> input: continuing a run in its own folder.</summary>
    public const string CheckpointOption = "--checkpoint-dir";

    private const string ResumeOption = "--resume";

    /// <summary>Checks <paramref name="inputs"/> against <paramref name="outputs"/> (null entries are options not given).</summary>
    /// <exception cref="UsageException">An output is an input, or two outputs are one file.</exception>
    /// <exception cref="IOException">An input is a device or pipe, or an output cannot be written where it is.</exception>
    public static void Check(IEnumerable<FileRole?> inputs, IEnumerable<FileRole?> outputs)
    {
        // Each path is resolved once, here; the comparisons read nothing from the disk, so an output checked against a
        // folder of tens of thousands of images costs one resolution per image, not one per pair.
        var read = inputs.OfType<FileRole>().SelectMany(FilesRead).Select(role => (Role: role, File: FileIdentity.Of(role.Path))).ToList();
        var written = outputs.OfType<FileRole>().SelectMany(FilesWritten).Select(role => (Role: role, File: FileIdentity.Of(role.Path))).ToList();
        foreach (var input in read)
        {
            if (input.File.IsSpecialFile)
                throw new IOException($"{input.Role}: a device or pipe, not a file; backprop reads its data from files (save the stream to a file first).");
        }
        foreach (var output in written)
        {
            foreach (var input in read)
            {
                if (output.File == input.File && !(output.Role.Option == CheckpointOption && input.Role.Option == ResumeOption))
                    throw new UsageException($"{output.Role} is the same file as {input.Role}{Through(output.Role, input.Role, output.File.Target, input.File.Target)}: writing it would destroy the input; nothing was done.");
            }
        }
        for (int i = 0; i < written.Count; i++)
            for (int j = i + 1; j < written.Count; j++)
            {
                if (written[i].File == written[j].File)
                    throw new UsageException($"{written[i].Role} and {written[j].Role} are the same file; give each output its own path.");
            }
        foreach (var output in written)
        {
            if (output.Role.Option != CheckpointOption) RequireWritable(output.Role, output.File);
        }
        foreach (var checkpoints in outputs.OfType<FileRole>().Where(role => role.Option == CheckpointOption)) RequireWritableFolder(checkpoints);
    }

    /// <summary>
    /// A folder is read through its IDX files (MNIST) and its images, class folders included; a file is read as it is.
    /// Links are not followed into other folders here: a link's target is compared where the output resolves.
    /// </summary>
    private static IEnumerable<FileRole> FilesRead(FileRole role) => Directory.Exists(role.Path)
        ? Directory.EnumerateFiles(role.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, AttributesToSkip = FileAttributes.ReparsePoint })
            .Where(file => Path.GetFileName(file).Contains("idx", StringComparison.OrdinalIgnoreCase) || Images.ImageDecoder.IsImageFile(file))
            .Select(file => role with { Path = file })
        : [role];

    /// <summary>A checkpoint folder is written through its two files.</summary>
    private static IEnumerable<FileRole> FilesWritten(FileRole role) => role.Option == CheckpointOption
        ? [role with { Path = Path.Combine(role.Path, "last.safetensors") }, role with { Path = Path.Combine(role.Path, "best.safetensors") }]
        : [role];

    /// <summary>" (both are /real/path)" when the user's spellings differ through links; " (hard links to one file)" for those.</summary>
    private static string Through(FileRole output, FileRole input, string outputTarget, string inputTarget) =>
        outputTarget != inputTarget ? " (hard links to one file)"
        : Path.GetFullPath(output.Path) == Path.GetFullPath(input.Path) ? "" : $" (both are {outputTarget})";

    /// <summary>A checkpoint folder is created when training starts: whatever part of it exists must let that happen.</summary>
    private static void RequireWritableFolder(FileRole role)
    {
        string target = AtomicFile.Target(role.Path);
        if (File.Exists(target)) throw new IOException($"{role}: is a file; checkpoints go in a folder.");
        string existing = target;
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing)!;
        RequireWritableFolder(role, existing);
    }

    /// <summary>An output file, through the identity <see cref="Check"/> resolved for it.</summary>
    private static void RequireWritable(FileRole role, FileIdentity file)
    {
        string target = file.Target;
        if (Directory.Exists(target)) throw new IOException($"{role}: is a folder; give the path of a file to write.");
        if (file.IsSpecialFile)
        {
            // Written in place: the device or pipe itself must take writes.
            if (!CanWrite(target, out string reason)) throw new IOException($"{role}: cannot be written ({reason}).");
            return;
        }
        string folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            string typed = Path.GetDirectoryName(role.Path) is { Length: > 0 } given ? given : ".";
            string where = Path.GetFullPath(typed) == folder ? typed : $"{typed} ({folder})";
            throw new DirectoryNotFoundException($"{role}: the folder {where} does not exist; create it first.");
        }
        RequireWritableFolder(role, folder);
    }

    private static void RequireWritableFolder(FileRole role, string folder)
    {
        if (!CanWrite(folder, out string reason)) throw new UnauthorizedAccessException($"{role}: cannot write in the folder {folder} ({reason}).");
    }

    /// <summary>Whether this process may write <paramref name="path"/> (a folder: create files in it), as the system would decide it.</summary>
    private static bool CanWrite(string path, out string reason)
    {
        reason = "";
        if (OperatingSystem.IsWindows()) return true; // The write itself reports, naming the path.
        const int write = 2, search = 1;
        int mode = Directory.Exists(path) ? write | search : write;
        if (Access(path, mode) == 0) return true;
        int error = Marshal.GetLastPInvokeError();
        reason = error switch { 30 => "a read-only file system", 13 or 1 => "permission denied", _ => Marshal.GetPInvokeErrorMessage(error) };
        return false;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for a call that DllImport marshals as it is.
    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);
#pragma warning restore SYSLIB1054
}
