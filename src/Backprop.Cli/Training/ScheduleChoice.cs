using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// The learning-rate schedules <c>--schedule</c> names, stepped once per epoch. The closed-form ones set the rate from
/// the epoch number alone, so a run resumed from a checkpoint continues on the same curve.
/// </summary>
internal sealed class ScheduleChoice
{
    /// <summary>The names, with what each does over E epochs (the defaults per architecture are <see cref="Commands.TrainCommand"/>'s).</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["cosine"] = "annealed from --lr towards 0 along a cosine over the epochs",
        ["constant"] = "--lr throughout",
        ["step"] = "multiplied by 0.1 every ⌈E/3⌉ epochs",
        ["exponential"] = "multiplied by 0.9 each epoch",
        ["warmup-cosine"] = "0.1×--lr for the first epoch, then annealed from --lr along a cosine over the rest",
        ["plateau"] = "multiplied by 0.1 when the validation loss has not improved for 2 epochs",
    };

    private readonly ClosedFormSchedule? _closedForm;
    private readonly ReduceLROnPlateau? _plateau;

    /// <summary>Binds the schedule <paramref name="name"/> to <paramref name="optimizer"/> for a run of <paramref name="epochs"/> epochs.</summary>
    public ScheduleChoice(string name, Optimizer optimizer, int epochs)
    {
        switch (name)
        {
            case "cosine": _closedForm = new CosineAnnealingLR(optimizer, epochs); break;
            case "step": _closedForm = new StepLR(optimizer, stepSize: (epochs + 2) / 3, gamma: 0.1); break;
            case "exponential": _closedForm = new ExponentialLR(optimizer, gamma: 0.9); break;
            case "warmup-cosine": _closedForm = WarmupCosine(optimizer, epochs); break;
            case "plateau": _plateau = new ReduceLROnPlateau(optimizer, PlateauMode.Min, factor: 0.1, patience: 2); break;
            case "constant": break;
            default: throw new ArgumentException($"--schedule: unknown schedule '{name}'.", nameof(name));
        }
    }

    /// <summary>Sets the rate for the 1-based <paramref name="epoch"/> about to start.</summary>
    public void BeforeEpoch(int epoch)
    {
        if (_closedForm is not null) _closedForm.Optimizer.LearningRate = _closedForm.LearningRateAt(epoch - 1);
    }

    /// <summary>Lets reduce-on-plateau see the epoch's validation loss (the training loss without validation).</summary>
    public void AfterEpoch(EpochResult result) => _plateau?.Step(result.ValidationLoss ?? result.Loss);

    private static ClosedFormSchedule WarmupCosine(Optimizer optimizer, int epochs)
    {
        var warmup = new LinearWarmup(optimizer, warmupEpochs: 1, startFactor: 0.1);
        if (epochs == 1) return warmup;
        return new SequentialSchedule(optimizer, [warmup, new CosineAnnealingLR(optimizer, epochs - 1)], [1]);
    }
}
