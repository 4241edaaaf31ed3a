using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

public class DropoutTests
{
    [Fact]
    public void Dropout_InEvalMode_IsTheIdentity()
    {
        var x = Tensor.RandomNormal([8, 16], seed: 1, dtype: DType.Float64);
        var dropout = new Dropout(0.5, seed: 2);
        dropout.Eval();
        Assert.Equal(x.ToDoubleArray(), dropout.Forward(x).ToDoubleArray());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void Dropout_InTraining_ZeroesAboutPAndScalesTheRestByExactlyOneOverOneMinusP(double p)
    {
        const int count = 20_000;
        var x = Tensor.RandomUniform([count], seed: 3, low: 0.5, high: 1.5, dtype: DType.Float64);
        var y = new Dropout(p, seed: 4).Forward(x).ToDoubleArray();
        var input = x.ToDoubleArray();
        int zeroed = 0;
        for (int i = 0; i < count; i++)
        {
            if (y[i] == 0) zeroed++;
            else Assert.Equal(input[i] * (1 / (1 - p)), y[i]);
        }
        // The zeroed count is Binomial(count, p): 5 standard deviations give a false failure rate below 1e-6.
        double bound = 5 * Math.Sqrt(count * p * (1 - p));
        Assert.InRange(zeroed, count * p - bound, count * p + bound);
    }

    [Fact]
    public void Dropout_WithTheSameSeed_DrawsTheSameMasks_AndANewMaskEachCall()
    {
        var x = Tensor.Ones(DType.Float64, 64);
        var first = new Dropout(0.5, seed: 7);
        var second = new Dropout(0.5, seed: 7);
        var firstOutput = first.Forward(x).ToDoubleArray();
        Assert.Equal(firstOutput, second.Forward(x).ToDoubleArray());
        Assert.NotEqual(firstOutput, first.Forward(x).ToDoubleArray());
    }

    [Fact]
    public void GeneratorState_AssignedBack_ReplaysTheSameMasks_AndMovesAnotherLayerToThatPoint()
    {
        var x = Tensor.Ones(DType.Float64, 64);
        var dropout = new Dropout(0.5, seed: 7);
        dropout.Forward(x);
        ulong saved = dropout.GeneratorState;
        var next = dropout.Forward(x).ToDoubleArray();
        dropout.GeneratorState = saved;
        Assert.Equal(next, dropout.Forward(x).ToDoubleArray());
        var other = new Dropout(0.5, seed: 99) { GeneratorState = saved };
        Assert.Equal(next, other.Forward(x).ToDoubleArray());
    }

    [Fact]
    public void Dropout_WithoutASeed_IsReproducibleFromTheThreadGenerator()
    {
        var x = Tensor.Ones(DType.Float64, 64);
        Rng.ManualSeed(5);
        var first = new Dropout(0.5).Forward(x).ToDoubleArray();
        Rng.ManualSeed(5);
        Assert.Equal(first, new Dropout(0.5).Forward(x).ToDoubleArray());
    }

    [Fact]
    public void Dropout_WithPZero_KeepsEveryElementUnscaled()
    {
        var x = Tensor.RandomNormal([4, 4], seed: 1);
        Assert.Equal(x.ToFloatArray(), new Dropout(0, seed: 1).Forward(x).ToFloatArray());
    }

    [Fact]
    public void Backward_OfDropoutWithAFixedMask_MatchesFiniteDifferences()
    {
        var dropout = new Dropout(0.25, seed: 3);
        var x = Tensor.RandomNormal([3, 5], seed: 2, dtype: DType.Float64);
        var mask = dropout.SampleKeepMask(x);
        Assert.Contains(0.0, mask.ToDoubleArray());
        var result = GradCheck.Run(inputs => dropout.Forward(inputs[0], mask).Tanh(), x);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Dropout_WithPOutsideZeroToOne_NamesTheLayerAndTheValue(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains("Dropout", error.Message);
        Assert.Contains(p.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }
}
