namespace Backprop.Optimizers;

/// <summary>
/// Cuts the learning rate when a metric stops improving, as PyTorch's <c>ReduceLROnPlateau</c> with relative
/// threshold. After each epoch, with metric a and best-so-far a*:
/// <code>
/// improved = a &lt; a*·(1 − threshold)   (Min; a* starts at +∞)     or   a &gt; a*·(1 + threshold)   (Max; a* starts at −∞)
/// improved: a* ← a, bad ← 0     else bad ← bad + 1
/// in cooldown: cooldown counter − 1, bad ← 0
/// bad &gt; patience: η ← max(η·factor, minLr) (only if that lowers η by more than 1e-8), cooldown counter ← cooldown, bad ← 0
/// </code>
/// So with patience p the rate drops after p + 1 epochs in a row without improvement, and epochs in the cooldown after a
/// drop never count as bad.
/// </summary>
/// <example>
/// <code>
/// var schedule = new ReduceLROnPlateau(optimizer, PlateauMode.Min, factor: 0.5, patience: 3);
/// for (int epoch = 0; epoch &lt; 100; epoch++) { Train(); schedule.Step(ValidationLoss()); }
/// </code>
/// </example>
public sealed class ReduceLROnPlateau : LearningRateSchedule
{
    // PyTorch's eps: a cut smaller than this is not applied, so a rate at minLr stays put.
    private const double MinimumChange = 1e-8;
    private int _cooldownCounter;

    /// <summary>Creates the schedule; the learning rate is left as it is until the first plateau.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="mode">Whether the metric should fall or rise.</param>
    /// <param name="factor">In [0, 1): the rate is multiplied by it at each plateau.</param>
    /// <param name="patience">≥ 0: epochs without improvement tolerated before a cut.</param>
    /// <param name="threshold">≥ 0: the relative improvement that counts.</param>
    /// <param name="cooldown">≥ 0: epochs after a cut during which the bad-epoch count stays at 0.</param>
    /// <param name="minLr">≥ 0: the rate never goes below it.</param>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, int cooldown = 0, double minLr = 0) : base(optimizer)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"ReduceLROnPlateau: mode must be Min or Max, got {mode}.");
        Mode = mode;
        Factor = factor >= 0 && factor < 1
            ? factor
            : throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau: factor must be in [0, 1), got {factor}.");
        Patience = AtLeast(patience, 0, nameof(patience));
        Threshold = NonNegative(threshold, nameof(threshold));
        Cooldown = AtLeast(cooldown, 0, nameof(cooldown));
        MinLr = NonNegative(minLr, nameof(minLr));
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Whether lower or higher is better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The multiplier applied at a plateau.</summary>
    public double Factor { get; }

    /// <summary>Bad epochs tolerated.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Epochs after a cut that are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The lowest learning rate.</summary>
    public double MinLr { get; }

    /// <summary>The best metric so far (±∞ before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement, outside cooldown.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Not available: this schedule needs the epoch's metric.</summary>
    /// <exception cref="InvalidOperationException">Always; call <see cref="Step(double)"/>.</exception>
    public override void Step() =>
        throw new InvalidOperationException("ReduceLROnPlateau: Step() needs the epoch's metric; call Step(metric) with e.g. the validation loss.");

    /// <summary>Ends an epoch whose metric was <paramref name="metric"/> and cuts the rate if it has plateaued.</summary>
    public override void Step(double metric)
    {
        Epoch++;
        bool improved = Mode == PlateauMode.Min ? metric < Best * (1 - Threshold) : metric > Best * (1 + Threshold);
        if (improved)
        {
            Best = metric;
            BadEpochs = 0;
        }
        else BadEpochs++;

        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            BadEpochs = 0;
        }

        if (BadEpochs > Patience)
        {
            double current = Optimizer.LearningRate, reduced = Math.Max(current * Factor, MinLr);
            if (current - reduced > MinimumChange) Optimizer.LearningRate = reduced;
            _cooldownCounter = Cooldown;
            BadEpochs = 0;
        }
    }
}
