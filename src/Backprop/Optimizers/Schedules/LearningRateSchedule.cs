namespace Backprop.Optimizers;

/// <summary>
/// Changes an optimiser's <see cref="Optimizer.LearningRate"/> once per epoch, as PyTorch's <c>torch.optim.lr_scheduler</c>:
/// call <see cref="Step()"/> after each epoch's optimiser steps (or <see cref="Step(double)"/> with the validation
/// metric, which every schedule accepts so one training loop serves all of them).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/>.</summary>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
    }

    /// <summary>The optimiser whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Number of <see cref="Step()"/> calls so far (PyTorch's <c>last_epoch</c>).</summary>
    public int Epoch { get; protected set; }

    /// <summary>Ends an epoch: advances <see cref="Epoch"/> and sets the optimiser's learning rate for the next one.</summary>
    public abstract void Step();

    /// <summary>Ends an epoch whose validation metric was <paramref name="metric"/>; schedules that do not watch a metric ignore it.</summary>
    public virtual void Step(double metric) => Step();

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0; the message names the schedule, argument and value.</summary>
    private protected double Positive(double value, string name) => value > 0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be a finite number > 0, got {value}.");

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0; the message names the schedule, argument and value.</summary>
    private protected double NonNegative(double value, string name) => value >= 0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be a finite number ≥ 0, got {value}.");

    /// <summary>Throws unless <paramref name="value"/> ≥ <paramref name="minimum"/>; the message names the schedule, argument and value.</summary>
    private protected int AtLeast(int value, int minimum, string name) => value >= minimum
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be ≥ {minimum}, got {value}.");
}
