using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>GetState/LoadState: a run restored into a fresh optimiser continues bit for bit.</summary>
public class OptimizerStateTests
{
    public static TheoryData<string, DType> Cases() => new()
    {
        { "Sgd", DType.Float64 }, { "Adam", DType.Float64 }, { "AdamW", DType.Float32 },
        { "RmsProp", DType.Float32 }, { "RmsProp", DType.Float64 }, { "Adagrad", DType.Float32 },
    };

    private static Optimizer Create(string kind, Tensor parameter) => kind switch
    {
        "Sgd" => new Sgd([parameter], 0.1, momentum: 0.9, weightDecay: 0.01),
        "Adam" => new Adam([parameter], 0.1, amsgrad: true, weightDecay: 0.1),
        "AdamW" => new AdamW([parameter], 0.1, amsgrad: true),
        "RmsProp" => new RmsProp([parameter], 0.01, momentum: 0.9, centered: true),
        "Adagrad" => new Adagrad([parameter], 0.1, learningRateDecay: 0.3, initialAccumulatorValue: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown optimiser"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RestoredRun_ContinuesBitIdentically(string kind, DType dtype)
    {
        var original = Tensor.FromArray(Quadratic.Start, 3).ToDType(dtype).RequireGrad();
        var optimizer = Create(kind, original);
        for (int t = 0; t < 2; t++) Quadratic.StepOnce(original, optimizer);
        optimizer.LearningRate *= 0.5;

        var state = optimizer.GetState();
        var restored = original.Detach().Clone().RequireGrad();
        var resumed = Create(kind, restored);
        resumed.LoadState(state);
        Assert.Equal(optimizer.LearningRate, resumed.LearningRate);
        Assert.Equal(2, resumed.StepCount);

        for (int t = 0; t < 3; t++)
        {
            Quadratic.StepOnce(original, optimizer);
            Quadratic.StepOnce(restored, resumed);
            Assert.Equal(original.ToDoubleArray(), restored.ToDoubleArray());
        }
    }

    [Fact]
    public void State_UsesPyTorchsNamesAndIsASnapshot()
    {
        var theta = Tensor.FromArray(Quadratic.Start, 3).RequireGrad();
        var adam = new Adam([theta], 0.1);
        Assert.Empty(adam.GetState().ParameterStates[0]);
        Quadratic.StepOnce(theta, adam);
        var state = adam.GetState();
        Assert.Equal(["exp_avg", "exp_avg_sq", "step"], state.ParameterStates[0].Keys.Order());
        Assert.Equal([1.0], state.ParameterStates[0]["step"]);
        // m1 = (1 − β1)·g = 0.1·aθ0 = [0.1, −0.6, 0.025].
        Assert.Equal([0.1, -0.6, 0.025], state.ParameterStates[0]["exp_avg"], new WorkedExamples.Tolerance(1e-15));
        Quadratic.StepOnce(theta, adam);
        Assert.Equal([1.0], state.ParameterStates[0]["step"]);
    }

    [Fact]
    public void MismatchedState_IsRejectedAndLeavesTheOptimiserUntouched()
    {
        var theta = Tensor.FromArray(Quadratic.Start, 3).RequireGrad();
        var adam = new Adam([theta], 0.1);
        Quadratic.StepOnce(theta, adam);
        var good = adam.GetState();
        var shortBuffer = new Dictionary<string, double[]>(good.ParameterStates[0]) { ["exp_avg"] = [1.0] };
        var error = Assert.Throws<ArgumentException>(() => adam.LoadState(good with { LearningRate = 7, ParameterStates = [shortBuffer] }));
        Assert.Contains("'exp_avg' has 1 values, the parameter has 3", error.Message);
        Assert.Equal(0.1, adam.LearningRate);

        var sgdState = new Sgd([theta], 0.1, momentum: 0.9).GetState() with { ParameterStates = [new Dictionary<string, double[]> { ["momentum_buffer"] = [0, 0, 0] }] };
        Assert.Contains("unknown buffer 'momentum_buffer'", Assert.Throws<ArgumentException>(() => adam.LoadState(sgdState)).Message);
        Assert.Throws<ArgumentException>(() => adam.LoadState(good with { ParameterStates = [] }));
    }
}
