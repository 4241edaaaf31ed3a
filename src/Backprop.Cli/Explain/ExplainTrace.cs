namespace Backprop.Cli.Explain;

/// <summary>
/// One step of backpropagation on a small sigmoid network, written down value by value: the forward pass
/// (every neuron's net input and output), the error, every weight's gradient as its chain of factors
/// ∂E/∂out · ∂out/∂net · ∂net/∂w, and the updated weights. The values are read from Backprop's own
/// autograd run (float64 <see cref="NN.Dense"/> and <see cref="NN.Sigmoid"/> modules, a
/// <see cref="Losses.Loss"/>, <see cref="Optimizers.Sgd"/>), not computed a second time by hand.
/// </summary>
/// <example>
/// <code>
/// var trace = ExplainTrace.Record(WorkedNetwork.ClassicTutorial());
/// Console.WriteLine(trace.TotalError);   // 0.298371109…
/// </code>
/// </example>
/// <param name="Example">The example's short name.</param>
/// <param name="Title">Where the example comes from.</param>
/// <param name="Loss">The loss as a formula.</param>
/// <param name="LearningRate">η used for the update.</param>
/// <param name="TrainBiases">Whether the biases were updated (otherwise they stay fixed and have no rows).</param>
/// <param name="Inputs">The inputs with their names.</param>
/// <param name="Neurons">Every neuron, layer by layer.</param>
/// <param name="Errors">Each output's share of the error.</param>
/// <param name="TotalError">E_total, the loss autograd started from.</param>
/// <param name="Parameters">Every weight (then every bias, if trained) with its chain of factors and update.</param>
/// <param name="Training">The result of further training, or null when none was asked for.</param>
/// <param name="Note">A remark about the example, or null.</param>
internal sealed record ExplainTrace(string Example, string Title, string Loss, double LearningRate, bool TrainBiases,
    IReadOnlyList<NamedValue> Inputs, IReadOnlyList<NeuronTrace> Neurons, IReadOnlyList<OutputError> Errors,
    double TotalError, IReadOnlyList<ParameterTrace> Parameters, TrainingResult? Training, string? Note)
{
    /// <summary>Runs one training step of <paramref name="network"/> through autograd and records it.</summary>
    /// <param name="network">The worked example.</param>
    /// <param name="options">Learning rate, bias training and further steps; null uses the example's own settings.</param>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is not a finite number &gt; 0, or the steps are negative.</exception>
    public static ExplainTrace Record(WorkedNetwork network, ExplainOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new ExplainOptions();
        double learningRate = options.LearningRate ?? network.LearningRate;
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(options), learningRate, $"explain: the learning rate must be a finite number > 0, got {learningRate}.");
        if (options.Steps < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, $"explain: the number of steps must be ≥ 0, got {options.Steps}.");
        return new ExplainRecorder(network, learningRate, options.TrainBiases || network.TrainsBiases).Record(options.Steps);
    }
}
