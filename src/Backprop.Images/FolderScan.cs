using System.Collections.Concurrent;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Images;

/// <summary>The steps of reading an image folder: listing classes and files, reading headers, decoding every image once.</summary>
internal static class FolderScan
{
    private static readonly EnumerationOptions Listing = new()
    {
        RecurseSubdirectories = true,
        // Hidden covers names with a leading dot on Unix; inaccessible folders are reported by the files they hide, not here.
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        IgnoreInaccessible = true,
        MatchCasing = MatchCasing.CaseInsensitive,
    };

    /// <summary>
    /// Decoding is CPU work on files the page cache holds: more threads than cores make it no faster, and each thread
    /// that decodes gets a native heap of its own (glibc's per-thread arenas), which kept tens of megabytes resident
    /// after loading 50,000 PNGs.
    /// </summary>
    private static readonly ParallelOptions OneThreadPerCore = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>A class folder: its name, its class index and its image files.</summary>
    public sealed record ClassFolder(string Name, int Label, string Folder, string[] Files);

    /// <summary>The class folders of <paramref name="root"/> in ordinal order of their names, empty ones an error or skipped.</summary>
    public static List<ClassFolder> Classes(string root, bool skipBad, List<SkippedImage> skipped)
    {
        var classes = new List<ClassFolder>();
        foreach (string folder in Subfolders(root))
        {
            var files = ImagesUnder(folder);
            if (files.Length == 0)
            {
                Bad(folder, $"class folder has no image files ({string.Join(", ", ImageDecoder.Extensions)})", skipBad, skipped);
                continue;
            }
            classes.Add(new ClassFolder(Path.GetFileName(folder), classes.Count, folder, files));
        }
        return classes;
    }

    /// <summary>The class folders of a held-out part, each matched by name to a training class.</summary>
    public static List<ClassFolder> HeldOutClasses(string root, IReadOnlyList<string> classNames, bool skipBad, List<SkippedImage> skipped)
    {
        var labels = classNames.Select((name, label) => (name, label)).ToDictionary(c => c.name, c => c.label, StringComparer.Ordinal);
        var classes = new List<ClassFolder>();
        foreach (string folder in Subfolders(root))
        {
            string name = Path.GetFileName(folder);
            int label = labels.GetValueOrDefault(name, -1);
            if (label < 0)
                throw new DataFormatException(folder, $"class '{Quote.Short(name)}' is not one of the {classNames.Count} training classes ({Quote.Short(string.Join(", ", classNames))})");
            var files = ImagesUnder(folder);
            if (files.Length == 0) Bad(folder, "class folder has no image files", skipBad, skipped);
            else classes.Add(new ClassFolder(name, label, folder, files));
        }
        return classes;
    }

    /// <summary>Image files under <paramref name="folder"/>, at any depth, in ordinal order of their relative paths.</summary>
    public static string[] ImagesUnder(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", Listing)
            .Where(path => ImageDecoder.IsImageFile(path) && !HasHiddenPart(Path.GetRelativePath(folder, path)))
            .OrderBy(path => Path.GetRelativePath(folder, path), StringComparer.Ordinal)];

    public static LabelledFiles Labelled(IEnumerable<ClassFolder> classes)
    {
        var list = classes.ToList();
        return new LabelledFiles([.. list.SelectMany(c => c.Files)], [.. list.SelectMany(c => c.Files.Select(_ => c.Label))]);
    }

    /// <summary>Every file's header, read in parallel; a file whose header cannot be read is an error (the first in path order) or skipped.</summary>
    public static Dictionary<string, ImageHeader> Headers(string[] files, bool skipBad, List<SkippedImage> skipped)
    {
        var headers = new ImageHeader?[files.Length];
        var problems = new string?[files.Length];
        Parallel.For(0, files.Length, OneThreadPerCore, i =>
        {
            try
            {
                headers[i] = ImageDecoder.ReadHeader(files[i]);
            }
            catch (DataFormatException e)
            {
                problems[i] = e.Problem;
            }
        });
        Report(files, problems, skipBad, skipped);
        var result = new Dictionary<string, ImageHeader>(StringComparer.Ordinal);
        for (int i = 0; i < files.Length; i++) if (headers[i] is { } header) result[files[i]] = header;
        return result;
    }

    /// <summary>
    /// Decodes every file once, in parallel: checks it decodes, offers it to the cache, and adds it to the statistics
    /// (per-image sums added in file order, so the result does not depend on the thread count).
    /// </summary>
    public static (LabelledFiles Kept, ImageCache Cache) DecodeAll(LabelledFiles files, ImageTransform transform, ImageCache.Budget budget,
        ChannelStatistics? statistics, bool skipBad, List<SkippedImage> skipped)
    {
        int count = files.Files.Length;
        var decoded = new ConcurrentDictionary<int, byte[]>();
        var sums = statistics is null ? null : new double[count][];
        var problems = new string?[count];
        Parallel.For(0, count, OneThreadPerCore, i =>
        {
            try
            {
                var image = ImageDecoder.Decode(files.Files[i], transform);
                if (sums is not null) sums[i] = ChannelStatistics.Sums(image, transform.Channels);
                if (budget.TryTake(image.Length)) decoded[i] = image;
            }
            catch (DataFormatException e)
            {
                problems[i] = e.Problem;
            }
        });
        Report(files.Files, problems, skipBad, skipped);
        var kept = Enumerable.Range(0, count).Where(i => problems[i] is null).ToArray();
        var cache = new ImageCache(kept.Length, budget);
        for (int k = 0; k < kept.Length; k++) if (decoded.TryGetValue(kept[k], out var image)) cache.Put(k, image);
        if (statistics is not null) foreach (int i in kept) statistics.Add(sums![i], transform.Width * transform.Height);
        return (files.Select(kept), cache);
    }

    private static void Report(string[] files, string?[] problems, bool skipBad, List<SkippedImage> skipped)
    {
        for (int i = 0; i < files.Length; i++)
            if (problems[i] is { } problem) Bad(files[i], problem, skipBad, skipped);
    }

    private static void Bad(string path, string problem, bool skipBad, List<SkippedImage> skipped)
    {
        if (!skipBad) throw new DataFormatException(path, problem);
        skipped.Add(new SkippedImage(path, problem));
    }

    private static IEnumerable<string> Subfolders(string root) =>
        new DirectoryInfo(root).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.') && (d.Attributes & FileAttributes.Hidden) == 0)
            .Select(d => Path.Combine(root, d.Name))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal);

    private static bool HasHiddenPart(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.StartsWith('.'));
}

/// <summary>Files with their class indices, in step.</summary>
internal sealed record LabelledFiles(string[] Files, int[] Labels)
{
    public LabelledFiles Select(IReadOnlyList<int> indices) => new([.. indices.Select(i => Files[i])], [.. indices.Select(i => Labels[i])]);

    public LabelledFiles Keep(IReadOnlyDictionary<string, ImageHeader> readable) =>
        Select([.. Enumerable.Range(0, Files.Length).Where(i => readable.ContainsKey(Files[i]))]);
}
