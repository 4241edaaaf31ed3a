using Backprop.Optimizers;

namespace Backprop.Cli.Training;

/// <summary>The optimisers <c>--optimizer</c> names, each with the learning rate it uses when <c>--lr</c> is not given.</summary>
internal static class OptimizerChoice
{
    private static readonly Dictionary<string, (double LearningRate, Func<IEnumerable<Tensor>, double, Optimizer> Create)> Choices = new()
    {
        ["momentum"] = (0.05, (parameters, rate) => new Sgd(parameters, rate, momentum: 0.9, nesterov: true)),
        ["sgd"] = (0.1, (parameters, rate) => new Sgd(parameters, rate)),
        ["adam"] = (1e-3, (parameters, rate) => new Adam(parameters, rate)),
        ["adamw"] = (1e-3, (parameters, rate) => new AdamW(parameters, rate)),
        ["rmsprop"] = (1e-3, (parameters, rate) => new RmsProp(parameters, rate)),
        ["adagrad"] = (1e-2, (parameters, rate) => new Adagrad(parameters, rate)),
    };

    /// <summary>The names, the default first.</summary>
    public static IReadOnlyCollection<string> Names => Choices.Keys;

    public static double DefaultLearningRate(string name) => Choices[name].LearningRate;

    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double learningRate) => Choices[name].Create(parameters, learningRate);

    /// <summary>How the help text describes the choices.</summary>
    public static string Describe() =>
        string.Join(", ", Choices.Select(pair => FormattableString.Invariant($"{pair.Key} (lr {pair.Value.LearningRate})")));
}
