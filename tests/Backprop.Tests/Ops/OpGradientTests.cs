using Backprop.Autograd;

namespace Backprop.Tests.Ops;

/// <summary>Every differentiable operation against central finite differences in float64.</summary>
public class OpGradientTests
{
    private const double Tolerance = 1e-6;

    private static Tensor Random(int seed, params int[] shape) => Tensor.RandomUniform(shape, seed, -1, 1, DType.Float64);

    /// <summary>Values bounded away from the kinks of ReLU-like functions, so finite differences never straddle one.</summary>
    private static Tensor AwayFromZero(int seed, params int[] shape)
    {
        var values = Tensor.RandomUniform(shape, seed, 0.1, 1.5, DType.Float64).ToDoubleArray();
        var signs = Tensor.RandomUniform(shape, seed + 1, -1, 1, DType.Float64).ToDoubleArray();
        return Tensor.FromArray(values.Select((v, i) => signs[i] < 0 ? -v : v).ToArray(), shape);
    }

    private static void AssertGradients(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var result = GradCheck.Run(function, inputs);
        Assert.True(result.Passed(Tolerance), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
        Assert.True(result.ElementsChecked > 0);
    }

    public static TheoryData<string, int[], int[]> BroadcastShapes => new()
    {
        { "same", [3, 4], [3, 4] },
        { "row over batch", [3, 4], [4] },
        { "column", [3, 4], [3, 1] },
        { "scalar", [3, 4], [] },
        { "both sides", [3, 1, 4], [2, 1] },
        { "left smaller", [4], [3, 4] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Backward_OfAdd_MatchesFiniteDifferences(string _, int[] left, int[] right) =>
        AssertGradients(x => x[0] + x[1], Random(1, left), Random(2, right));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Backward_OfSubtract_MatchesFiniteDifferences(string _, int[] left, int[] right) =>
        AssertGradients(x => x[0] - x[1], Random(3, left), Random(4, right));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Backward_OfMultiply_MatchesFiniteDifferences(string _, int[] left, int[] right) =>
        AssertGradients(x => x[0] * x[1], Random(5, left), Random(6, right));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Backward_OfDivide_MatchesFiniteDifferences(string _, int[] left, int[] right) =>
        AssertGradients(x => x[0] / x[1], Random(7, left), AwayFromZero(8, right));

    [Fact]
    public void Backward_OfScalarArithmetic_MatchesFiniteDifferences() =>
        AssertGradients(x => (2.5 - x[0] * 3.0 + 1.0) / 4.0 - (-x[0]), Random(9, 2, 3));

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 4, 5)]
    [InlineData(7, 2, 3)]
    public void Backward_OfMatMul_MatchesFiniteDifferences(int m, int k, int n) =>
        AssertGradients(x => x[0].MatMul(x[1]), Random(10, m, k), Random(11, k, n));

    [Fact]
    public void Backward_OfLinear_MatchesFiniteDifferences() =>
        AssertGradients(x => Tensor.Linear(x[0], x[1], x[2]), Random(12, 4, 3), Random(13, 5, 3), Random(14, 5));

    [Fact]
    public void Backward_OfLinearWithoutBias_MatchesFiniteDifferences() =>
        AssertGradients(x => Tensor.Linear(x[0], x[1]), Random(15, 2, 3), Random(16, 4, 3));

    [Fact]
    public void Backward_OfSumAndMean_MatchesFiniteDifferences() =>
        AssertGradients(x => x[0].Sum() * x[0].Mean(), Random(17, 3, 4));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    [InlineData(2, true)]
    public void Backward_OfAxisReductions_MatchesFiniteDifferences(int axis, bool keepDims) =>
        AssertGradients(x => x[0].Sum(axis, keepDims) * x[0].Mean(axis, keepDims), Random(18, 2, 3, 4));

    [Fact]
    public void Backward_OfReshapeAndTranspose_MatchesFiniteDifferences() =>
        AssertGradients(x => x[0].Reshape(3, -1).Transpose().MatMul(x[1]), Random(19, 2, 6), Random(20, 3, 2));

    public static TheoryData<string> UnaryFunctions => new() { "Exp", "Log", "Pow", "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu", "Gelu", "Softmax", "LogSoftmax" };

    [Theory]
    [MemberData(nameof(UnaryFunctions))]
    public void Backward_OfActivation_MatchesFiniteDifferences(string name)
    {
        Func<Tensor, Tensor> function = name switch
        {
            "Exp" => x => x.Exp(),
            "Log" => x => (x * x).Log(),
            "Pow" => x => (x * x).Pow(1.5),
            "Sigmoid" => x => x.Sigmoid(),
            "Tanh" => x => x.Tanh(),
            "Relu" => x => x.Relu(),
            "LeakyRelu" => x => x.LeakyRelu(0.2),
            "Elu" => x => x.Elu(0.7),
            "Gelu" => x => x.Gelu(),
            "Softmax" => x => x.Softmax(),
            "LogSoftmax" => x => x.LogSoftmax(),
            _ => throw new ArgumentException(name),
        };
        AssertGradients(x => function(x[0]), AwayFromZero(21, 3, 5));
    }

    [Fact]
    public void Backward_OfGelu_AtLargeArguments_MatchesFiniteDifferences() =>
        AssertGradients(x => x[0].Gelu(), Tensor.FromArray(new[] { -6.0, -3.5, -2.9, 2.9, 3.5, 6.0 }, 6));

    [Fact]
    public void Backward_OfNarrowSelectConcatStack_MatchesFiniteDifferences() =>
        AssertGradients(x => Tensor.Concat([x[0].Narrow(1, 1, 2), Tensor.Stack([x[1].Select(0, 0), x[1].Select(0, 2)], 1)], 1), Random(30, 2, 4), Random(31, 3, 2));

    [Fact]
    public void Backward_OfIndexSelectWithRepeats_AccumulatesIntoRepeatedRows() =>
        AssertGradients(x => x[0].IndexSelect([2, 0, 2, 2]), Random(32, 3, 4));

    [Fact]
    public void Backward_OfPermute_MatchesFiniteDifferences() =>
        AssertGradients(x => x[0].Permute(2, 0, 1) * x[1], Random(33, 2, 3, 4), Random(34, 4, 2, 3));

    [Fact]
    public void Backward_OfSqrtAbsClamp_MatchesFiniteDifferences() =>
        AssertGradients(x => (x[0] * x[0]).Sqrt() + x[0].Abs() + x[0].Clamp(-0.5, 0.5), AwayFromZero(35, 3, 4));
}
