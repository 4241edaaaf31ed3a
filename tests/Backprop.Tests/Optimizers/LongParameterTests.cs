using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>
/// The optimisers update whole vectors of elements at once (and the last partial vector through a padded copy).
/// Each element of a long parameter must move exactly as the same element held alone in a one-element parameter,
/// whose path the trajectory tests check against PyTorch's numbers.
/// </summary>
public class LongParameterTests
{
    private const int Length = 37;   // several vectors of any width, and a partial one

    public static TheoryData<string> Optimizers() =>
    [
        "sgd", "sgd-momentum", "sgd-nesterov-decay", "adam", "adam-decay", "adam-amsgrad", "adamw",
        "rmsprop", "rmsprop-centered-momentum", "adagrad",
    ];

    private static Optimizer Create(string name, IEnumerable<Tensor> parameters) => name switch
    {
        "sgd" => new Sgd(parameters, 0.1),
        "sgd-momentum" => new Sgd(parameters, 0.1, momentum: 0.9, dampening: 0.1),
        "sgd-nesterov-decay" => new Sgd(parameters, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam(parameters, 0.01),
        "adam-decay" => new Adam(parameters, 0.01, weightDecay: 0.1),
        "adam-amsgrad" => new Adam(parameters, 0.01, amsgrad: true),
        "adamw" => new AdamW(parameters, 0.01),
        "rmsprop" => new RmsProp(parameters, 0.01),
        "rmsprop-centered-momentum" => new RmsProp(parameters, 0.01, weightDecay: 0.01, momentum: 0.5, centered: true),
        "adagrad" => new Adagrad(parameters, 0.1, learningRateDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void EachElement_MovesAsIfItWereAlone(string name)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var random = new Random(name.Length);
            double[] start = [.. Enumerable.Range(0, Length).Select(_ => random.NextDouble() * 2 - 1)];
            var whole = Tensor.FromArray(start, Length).ToDType(dtype).RequireGrad();
            var alone = start.Select(v => Tensor.FromArray(new[] { v }, 1).ToDType(dtype).RequireGrad()).ToArray();
            var wholeOptimizer = Create(name, [whole]);
            var aloneOptimizer = Create(name, alone);
            for (int step = 0; step < 3; step++)
            {
                double[] gradient = [.. Enumerable.Range(0, Length).Select(_ => random.NextDouble() * 2 - 1)];
                whole.Grad = Tensor.FromArray(gradient, Length).ToDType(dtype);
                for (int i = 0; i < Length; i++) alone[i].Grad = Tensor.FromArray(new[] { gradient[i] }, 1).ToDType(dtype);
                wholeOptimizer.Step();
                aloneOptimizer.Step();
            }
            double[] expected = [.. alone.Select(p => p.Item())];
            Assert.Equal(expected, whole.ToDoubleArray());
            Assert.NotEqual(start, expected);
        }
    }

    [Fact]
    public void PlainSgd_OnAParameterSplitOverTheWorkers_IsTheDeltaRuleOnEveryElement()
    {
        // Large enough for the update to be split into ranges for the kernel workers, with a partial last range.
        const int Count = 100_003;
        var random = new Random(5);
        float[] start = [.. Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        float[] gradient = [.. Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        var theta = Tensor.FromArray(start, Count).RequireGrad();
        theta.Grad = Tensor.FromArray(gradient, Count);
        new Sgd([theta], 0.1).Step();
        float rate = 0.1f;
        float[] expected = [.. start.Select((value, i) => gradient[i] * -rate + value)];
        Assert.Equal(expected, theta.ToFloatArray());
    }
}
