using System.Globalization;
using Backprop.IO;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>The checkpointing part of <see cref="ModuleTraining.Fit"/>: resuming from <see cref="FitOptions.ResumeFrom"/> and saving to <see cref="FitOptions.CheckpointDirectory"/>.</summary>
internal sealed class FitCheckpoints
{
    /// <summary>The extra-state key holding the best monitored value, so a resumed run does not overwrite a better <c>best.safetensors</c>.</summary>
    private const string BestKey = "best_value";

    private readonly FitOptions _options;
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private double _best = double.NaN;

    public FitCheckpoints(FitOptions options, Module model, Optimizer optimizer)
    {
        if (options.CheckpointEvery < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.CheckpointEvery, $"Fit: CheckpointEvery must be ≥ 0, got {options.CheckpointEvery}.");
        _options = options;
        _model = model;
        _optimizer = optimizer;
        if (options.CheckpointDirectory is not null) Directory.CreateDirectory(options.CheckpointDirectory);
    }

    /// <summary>Loads <see cref="FitOptions.ResumeFrom"/> into the model and optimiser; returns the epochs already completed (0 without it).</summary>
    public int Resume()
    {
        if (_options.ResumeFrom is null) return 0;
        var checkpoint = Checkpoint.Load(_options.ResumeFrom, _model, _optimizer);
        if (checkpoint.Extra.TryGetValue(BestKey, out string? best))
            _best = double.Parse(best, NumberStyles.Float, CultureInfo.InvariantCulture);
        return checkpoint.Epoch;
    }

    /// <summary>Saves the checkpoints due after <paramref name="result"/>'s epoch.</summary>
    public void AfterEpoch(EpochResult result)
    {
        if (_options.CheckpointDirectory is null) return;
        var monitor = _options.CheckpointMonitor;
        double? value = monitor.ValueIn(result);
        bool improved = value is double current && monitor.Improves(current, _best);
        if (improved) _best = value!.Value;
        var extra = new Dictionary<string, string> { [BestKey] = _best.ToString("R", CultureInfo.InvariantCulture) };
        if (improved) Checkpoint.Save(Path.Combine(_options.CheckpointDirectory, "best.safetensors"), _model, _optimizer, result.Epoch, extra, _options.CheckpointDescription);
        if (_options.CheckpointEvery > 0 && result.Epoch % _options.CheckpointEvery == 0)
            Checkpoint.Save(Path.Combine(_options.CheckpointDirectory, "last.safetensors"), _model, _optimizer, result.Epoch, extra, _options.CheckpointDescription);
    }
}
