using Backprop.Cli.Training;

namespace Backprop.Cli.Files;

/// <summary>The files <c>backprop train</c> reads and writes, checked before it reads any data.</summary>
internal static class TrainFiles
{
    /// <exception cref="UsageException">An output is an input, or two outputs are one file.</exception>
    /// <exception cref="IOException">The checkpoint to resume from is missing, or an output cannot be written.</exception>
    public static void Check(TrainSettings settings)
    {
        if (settings.ResumeFrom is { } resume && !File.Exists(resume))
            throw new FileNotFoundException($"--resume {resume}: no such checkpoint file (train --checkpoint-dir FOLDER writes FOLDER/last.safetensors and best.safetensors).", resume);
        OutputPaths.Check(
            [FileRole.Of("--data", settings.Data), FileRole.Of("--resume", settings.ResumeFrom)],
            [FileRole.Of("--out", settings.ModelPath), FileRole.Of("--plot", settings.PlotPath), FileRole.Of(OutputPaths.CheckpointOption, settings.CheckpointDirectory)]);
    }
}
