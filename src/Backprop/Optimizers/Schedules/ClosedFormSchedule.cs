namespace Backprop.Optimizers;

/// <summary>
/// A schedule whose learning rate is a function of the epoch alone, η(e) = f(η₀, e), with η₀ the optimiser's
/// learning rate when the first schedule was bound to it (PyTorch's <c>initial_lr</c>, shared by all schedules
/// on one optimiser so that they can be chained with <see cref="SequentialSchedule"/>). Like PyTorch, building the
/// schedule sets the learning rate to η(0) at once.
/// </summary>
public abstract class ClosedFormSchedule : LearningRateSchedule
{
    /// <summary>Binds the schedule and records η₀.</summary>
    protected ClosedFormSchedule(Optimizer optimizer) : base(optimizer)
    {
        BaseLearningRate = optimizer.ScheduleBaseLearningRate ??= optimizer.LearningRate;
    }

    /// <summary>η₀.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (0 before the first <see cref="Step"/>).</summary>
    public abstract double LearningRateAt(int epoch);

    /// <inheritdoc />
    public sealed override void Step()
    {
        Epoch++;
        Optimizer.LearningRate = LearningRateAt(Epoch);
    }

    /// <summary>Sets the learning rate to η(0); derived constructors call it once their arguments are stored.</summary>
    private protected void Start() => Optimizer.LearningRate = LearningRateAt(0);
}
