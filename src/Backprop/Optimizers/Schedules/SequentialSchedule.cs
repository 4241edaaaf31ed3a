namespace Backprop.Optimizers;

/// <summary>
/// Runs closed-form schedules one after another, as PyTorch's <c>SequentialLR</c>: schedule i takes over at
/// milestone i − 1 and sees its own epoch count from 0, η(e) = schedule_i.LearningRateAt(e − milestone_{i−1}).
/// The schedules must be bound to the same optimiser; step only this object, not them.
/// </summary>
/// <example>
/// <code>
/// // 5 epochs of linear warm-up from 0.1·η₀, then cosine annealing over the remaining 95.
/// var schedule = new SequentialSchedule(optimizer,
///     [new LinearWarmup(optimizer, 5, 0.1), new CosineAnnealingLR(optimizer, tMax: 95)], milestones: [5]);
/// </code>
/// </example>
public sealed class SequentialSchedule : ClosedFormSchedule
{
    private readonly ClosedFormSchedule[] _schedules;
    private readonly int[] _milestones;

    /// <summary>Creates the chain and sets η(0) from the first schedule.</summary>
    /// <param name="optimizer">The optimiser every schedule drives.</param>
    /// <param name="schedules">At least one schedule, in the order they run.</param>
    /// <param name="milestones">One fewer than the schedules: strictly increasing epochs ≥ 1 at which the next takes over.</param>
    /// <exception cref="ArgumentException">The counts do not match, a milestone is out of order, or a schedule drives another optimiser.</exception>
    public SequentialSchedule(Optimizer optimizer, IReadOnlyList<ClosedFormSchedule> schedules, IReadOnlyList<int> milestones) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedules.Count == 0 || milestones.Count != schedules.Count - 1)
            throw new ArgumentException($"SequentialSchedule: needs one milestone fewer than schedules, got {schedules.Count} schedules and {milestones.Count} milestones.", nameof(milestones));
        for (int i = 0; i < schedules.Count; i++)
            if (!ReferenceEquals(schedules[i].Optimizer, optimizer))
                throw new ArgumentException($"SequentialSchedule: schedule {i} ({schedules[i].GetType().Name}) is bound to another optimiser.", nameof(schedules));
        for (int i = 0; i < milestones.Count; i++)
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1]))
                throw new ArgumentException($"SequentialSchedule: milestones must be strictly increasing epochs ≥ 1, got [{string.Join(", ", milestones)}].", nameof(milestones));
        _schedules = [.. schedules];
        _milestones = [.. milestones];
        Start();
    }

    /// <inheritdoc />
    public override double LearningRateAt(int epoch)
    {
        int active = 0;
        while (active < _milestones.Length && epoch >= _milestones[active]) active++;
        return _schedules[active].LearningRateAt(active == 0 ? epoch : epoch - _milestones[active - 1]);
    }
}
