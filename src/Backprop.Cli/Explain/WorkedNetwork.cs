using System.Globalization;

namespace Backprop.Cli.Explain;

/// <summary>The loss a <see cref="WorkedNetwork"/> is trained on.</summary>
internal enum WorkedLoss
{
    /// <summary>The textbooks' E = Σ ½(t − o)² (<see cref="Losses.SquaredErrorLoss"/>).</summary>
    HalfSquaredError,

    /// <summary>E = mean (o − t)² (<see cref="Losses.MseLoss"/>); for one output, (ŷ − y)².</summary>
    MeanSquaredError,
}

/// <summary>One neuron of a worked example: its name, its incoming weights (named) and its bias.</summary>
/// <param name="Name">The neuron's name in the example, e.g. <c>h1</c>.</param>
/// <param name="WeightNames">One name per incoming weight, in input order, e.g. <c>w1, w2</c>.</param>
/// <param name="Weights">The initial incoming weights, in input order.</param>
/// <param name="BiasName">The bias's name; neurons of a layer that share one bias (as in the classic tutorial) repeat it.</param>
/// <param name="Bias">The initial bias.</param>
internal sealed record WorkedNeuron(string Name, IReadOnlyList<string> WeightNames, IReadOnlyList<double> Weights, string BiasName, double Bias);

/// <summary>
/// A small fully connected sigmoid network from a published worked example, with its one training
/// example, its loss and its learning rate: everything <see cref="ExplainTrace.Record"/> needs to walk
/// one step of backpropagation with the example's own names.
/// </summary>
internal sealed class WorkedNetwork
{
    /// <summary>Describes the network; validates that the layers connect and the names line up.</summary>
    /// <param name="name">Short name, e.g. <c>2-2-2</c>.</param>
    /// <param name="title">One line saying where the example comes from.</param>
    /// <param name="inputNames">Names of the inputs, e.g. <c>i1, i2</c>.</param>
    /// <param name="inputs">The training example's input values.</param>
    /// <param name="layers">The layers, first hidden to output; every neuron is a sigmoid.</param>
    /// <param name="targets">The desired output of each output neuron.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="learningRate">The example's learning rate η.</param>
    /// <param name="trainsBiases">Whether the example updates its biases (the classic tutorial holds them fixed).</param>
    /// <param name="note">A remark shown with the trace, or null.</param>
    /// <exception cref="ArgumentException">Sizes or names do not line up.</exception>
    public WorkedNetwork(string name, string title, IReadOnlyList<string> inputNames, IReadOnlyList<double> inputs,
        IReadOnlyList<IReadOnlyList<WorkedNeuron>> layers, IReadOnlyList<double> targets, WorkedLoss loss,
        double learningRate, bool trainsBiases, string? note = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputNames.Count != inputs.Count || inputs.Count == 0)
            throw new ArgumentException($"WorkedNetwork '{name}': {inputNames.Count} input names for {inputs.Count} inputs.", nameof(inputNames));
        if (layers.Count == 0) throw new ArgumentException($"WorkedNetwork '{name}': no layers.", nameof(layers));
        int width = inputs.Count;
        for (int l = 0; l < layers.Count; l++)
        {
            if (layers[l].Count == 0) throw new ArgumentException($"WorkedNetwork '{name}': layer {l} has no neurons.", nameof(layers));
            foreach (var neuron in layers[l])
                if (neuron.Weights.Count != width || neuron.WeightNames.Count != width)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"WorkedNetwork '{name}': neuron {neuron.Name} has {neuron.Weights.Count} weights and {neuron.WeightNames.Count} weight names; layer {l} has {width} inputs."), nameof(layers));
            width = layers[l].Count;
        }
        if (targets.Count != width)
            throw new ArgumentException($"WorkedNetwork '{name}': {targets.Count} targets for {width} outputs.", nameof(targets));
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"WorkedNetwork '{name}': the learning rate must be a finite number > 0, got {learningRate}.");
        Name = name;
        Title = title;
        InputNames = inputNames;
        Inputs = inputs;
        Layers = layers;
        Targets = targets;
        Loss = loss;
        LearningRate = learningRate;
        TrainsBiases = trainsBiases;
        Note = note;
    }

    /// <summary>Short name, e.g. <c>2-2-2</c>.</summary>
    public string Name { get; }

    /// <summary>Where the example comes from.</summary>
    public string Title { get; }

    /// <summary>Names of the inputs.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The training example's input values.</summary>
    public IReadOnlyList<double> Inputs { get; }

    /// <summary>The layers, first hidden to output.</summary>
    public IReadOnlyList<IReadOnlyList<WorkedNeuron>> Layers { get; }

    /// <summary>The desired outputs.</summary>
    public IReadOnlyList<double> Targets { get; }

    /// <summary>The loss.</summary>
    public WorkedLoss Loss { get; }

    /// <summary>The example's learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>Whether the example itself updates the biases.</summary>
    public bool TrainsBiases { get; }

    /// <summary>A remark shown with the trace, or null.</summary>
    public string? Note { get; }

    /// <summary>
    /// The 2-2-2 network of the classic step-by-step tutorial: inputs i1 = .05, i2 = .10; h1 gets w1 = .15 (from i1),
    /// w2 = .20 (from i2), h2 gets w3 = .25, w4 = .30; o1 gets w5 = .40 (from h1), w6 = .45 (from h2), o2 gets
    /// w7 = .50, w8 = .55; one bias per layer, b1 = .35 and b2 = .60, held fixed; targets .01 and .99;
    /// E = Σ ½(t − o)²; η = .5.
    /// </summary>
    public static WorkedNetwork ClassicTutorial() => new(
        "2-2-2",
        "The classic step-by-step tutorial: a 2-2-2 sigmoid network, one training example",
        ["i1", "i2"], [.05, .10],
        [
            [new("h1", ["w1", "w2"], [.15, .20], "b1", .35), new("h2", ["w3", "w4"], [.25, .30], "b1", .35)],
            [new("o1", ["w5", "w6"], [.40, .45], "b2", .60), new("o2", ["w7", "w8"], [.50, .55], "b2", .60)],
        ],
        [.01, .99], WorkedLoss.HalfSquaredError, learningRate: .5, trainsBiases: false,
        note: "The classic tutorial's later figures (the error after the first step, 0.291027924, and its final outputs) "
            + "come from updating the hidden weights with already-updated output weights. This program performs true "
            + "gradient descent, where all gradients are computed before any weight changes, so its later numbers differ.");

    /// <summary>
    /// The 2-2-1 example: x = (.5, .1), y = .6; z1 = w11·x1 + w12·x2 + b1 with w11 = .4, w12 = .3, b1 = .1;
    /// z2 with w21 = .6, w22 = .9, b2 = .2; ŷ = σ(w31·h1 + w32·h2 + b3) with w31 = .5, w32 = .7, b3 = .3;
    /// L = (ŷ − y)²; η = .1; biases are per neuron and trained.
    /// </summary>
    public static WorkedNetwork TwoTwoOne() => new(
        "2-2-1",
        "A 2-2-1 sigmoid network with per-neuron biases and mean squared error, one training example",
        ["x1", "x2"], [.5, .1],
        [
            [new("h1", ["w11", "w12"], [.4, .3], "b1", .1), new("h2", ["w21", "w22"], [.6, .9], "b2", .2)],
            [new("ŷ", ["w31", "w32"], [.5, .7], "b3", .3)],
        ],
        [.6], WorkedLoss.MeanSquaredError, learningRate: .1, trainsBiases: true);
}
