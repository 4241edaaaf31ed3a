using Backprop.Optimizers;

namespace Backprop.Cli.Training;

/// <summary>The optimisers <c>--optimizer</c> names, each with the learning rate it uses when <c>--lr</c> is not given.</summary>
internal static class OptimizerChoice
{
    private delegate Optimizer Factory(IEnumerable<Tensor> parameters, double learningRate, double? weightDecay);

    // Weight decay is each optimiser's own: L2 added to the gradient (λw), except AdamW's decoupled w ← w − γλw
    // (whose default λ = 0.01 applies when --weight-decay is not given).
    private static readonly Dictionary<string, (double LearningRate, Factory Create)> Choices = new()
    {
        ["nesterov"] = (0.05, (parameters, rate, decay) => new Sgd(parameters, rate, momentum: 0.9, nesterov: true, weightDecay: decay ?? 0)),
        ["momentum"] = (0.05, (parameters, rate, decay) => new Sgd(parameters, rate, momentum: 0.9, weightDecay: decay ?? 0)),
        ["sgd"] = (0.1, (parameters, rate, decay) => new Sgd(parameters, rate, weightDecay: decay ?? 0)),
        ["adam"] = (1e-3, (parameters, rate, decay) => new Adam(parameters, rate, weightDecay: decay ?? 0)),
        ["adamw"] = (1e-3, (parameters, rate, decay) => decay is double λ ? new AdamW(parameters, rate, weightDecay: λ) : new AdamW(parameters, rate)),
        ["rmsprop"] = (1e-3, (parameters, rate, decay) => new RmsProp(parameters, rate, weightDecay: decay ?? 0)),
        ["adagrad"] = (1e-2, (parameters, rate, decay) => new Adagrad(parameters, rate, weightDecay: decay ?? 0)),
    };

    /// <summary>The names, the default first.</summary>
    public static IReadOnlyCollection<string> Names => Choices.Keys;

    public static double DefaultLearningRate(string name) => Choices[name].LearningRate;

    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="learningRate">The initial learning rate.</param>
    /// <param name="weightDecay">λ, or null for the optimiser's default (0, or AdamW's 0.01).</param>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double learningRate, double? weightDecay) =>
        Choices[name].Create(parameters, learningRate, weightDecay);

    /// <summary>How the help text describes the choices.</summary>
    public static string Describe() =>
        string.Join(", ", Choices.Select(pair => FormattableString.Invariant($"{pair.Key} (lr {pair.Value.LearningRate})")));
}
