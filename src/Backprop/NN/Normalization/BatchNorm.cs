using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share (PyTorch's <c>_BatchNorm</c>): for x [N, C, …],
/// y = γ·(x − μ)/√(σ² + ε) + β per channel. In training mode μ and σ² are the batch's mean and biased
/// variance over every axis but C, and the running estimates move towards them:
/// running = (1 − momentum)·running + momentum·batch, with the unbiased variance σ²·M/(M − 1) (M values per channel)
/// for <c>running_var</c>. In evaluation mode the running estimates are used instead. Parameters <c>weight</c> (γ, ones)
/// and <c>bias</c> (β, zeros); buffers <c>running_mean</c> (zeros), <c>running_var</c> (ones) and
/// <c>num_batches_tracked</c>: PyTorch's names, so state moves between the two.
/// </summary>
public abstract class BatchNorm : Module
{
    private protected BatchNorm(int numFeatures, double epsilon, double momentum, bool affine, bool trackRunningStats)
    {
        string layer = GetType().Name;
        if (numFeatures < 1)
            throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"{layer}: numFeatures must be ≥ 1, got {numFeatures}.");
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, Invariant($"{layer}: epsilon must be ≥ 0, got {epsilon}."));
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, Invariant($"{layer}: momentum must be in [0, 1], got {momentum}."));
        NumFeatures = numFeatures;
        Epsilon = epsilon;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0, DType.Float64), keepsDType: true);
        }
    }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>ε, added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>The weight of the newest batch in the running estimates.</summary>
    public double Momentum { get; }

    /// <summary>γ, [C], or null when created with <c>affine: false</c>.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, [C], or null when created with <c>affine: false</c>.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean per channel, [C], or null when created with <c>trackRunningStats: false</c>.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running unbiased variance per channel, [C], or null without running statistics.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>How many training batches have updated the running statistics (a scalar), or null without them.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>The input shapes this layer accepts, for error messages, e.g. <c>[N, 3, H, W]</c>.</summary>
    private protected abstract string ExpectedShape { get; }

    /// <summary>Whether an input of this rank is accepted.</summary>
    private protected abstract bool AcceptsRank(int rank);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input's rank or channel count does not fit the layer, or (in training
    /// mode) there is only one value per channel, from which no variance can be estimated.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Dims[1] != NumFeatures)
            throw new ArgumentException($"{this}: expected input of shape {ExpectedShape}, got {ShapeMath.Format(input.Dims)}.", nameof(input));
        bool useBatchStatistics = IsTraining || RunningMean is null;
        if (!useBatchStatistics) return NormalizeWithRunningStatistics(input);

        int perChannel = input.Length / NumFeatures;
        if (perChannel <= 1)
            throw new ArgumentException($"{this}: Expected more than 1 value per channel when training, got input size {ShapeMath.Format(input.Dims)}.", nameof(input));
        var output = Tensor.BatchNormTraining(input, Weight, Bias, Epsilon, out var mean, out var variance);
        if (RunningMean is not null) UpdateRunningStatistics(mean, variance, perChannel);
        return output;
    }

    private void UpdateRunningStatistics(double[] mean, double[] variance, int perChannel)
    {
        var runningMean = RunningMean!.ToDoubleArray();
        var runningVar = RunningVar!.ToDoubleArray();
        double bessel = perChannel / (perChannel - 1.0);
        for (int c = 0; c < NumFeatures; c++)
        {
            runningMean[c] = (1 - Momentum) * runningMean[c] + Momentum * mean[c];
            runningVar[c] = (1 - Momentum) * runningVar[c] + Momentum * variance[c] * bessel;
        }
        RunningMean.CopyFrom(Tensor.FromArray(runningMean, NumFeatures));
        RunningVar.CopyFrom(Tensor.FromArray(runningVar, NumFeatures));
        NumBatchesTracked!.CopyFrom(Tensor.Scalar(NumBatchesTracked.Item() + 1, DType.Float64));
    }

    /// <summary>y = x·s + (β − μ·s) with s = γ/√(running σ² + ε), composed so autograd reaches x, γ and β.</summary>
    private Tensor NormalizeWithRunningStatistics(Tensor input)
    {
        var broadcastShape = new int[input.Rank];
        Array.Fill(broadcastShape, 1);
        broadcastShape[1] = NumFeatures;
        var scale = RunningVar!.AddScalar(Epsilon).Pow(-0.5);
        if (Weight is not null) scale = scale.Multiply(Weight);
        var shift = RunningMean!.Multiply(scale).Negate();
        if (Bias is not null) shift = shift.Add(Bias);
        return input.Multiply(scale.Reshape(broadcastShape)).Add(shift.Reshape(broadcastShape));
    }

    /// <summary>The model-file arguments of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>.</summary>
    private protected JsonObject DescribeArguments() => new()
    {
        ["num_features"] = NumFeatures, ["epsilon"] = Epsilon, ["momentum"] = Momentum,
        ["affine"] = Weight is not null, ["track_running_stats"] = RunningMean is not null,
    };

    /// <summary>Reads what <see cref="DescribeArguments"/> wrote and claims the layer's elements from the file's budget.</summary>
    private protected static (int Features, double Epsilon, double Momentum, bool Affine, bool Track) ReadArguments(LayerArguments arguments)
    {
        int features = arguments.GetInt("num_features");
        double epsilon = arguments.GetDouble("epsilon", 1e-5), momentum = arguments.GetDouble("momentum", 0.1);
        bool affine = arguments.GetBool("affine", true), track = arguments.GetBool("track_running_stats", true);
        arguments.Allocates(features < 0 ? -1 : (affine ? 2L * features : 0) + (track ? 2L * features + 1 : 0));
        return (features, epsilon, momentum, affine, track);
    }

    private static string Invariant(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({NumFeatures})";
}
