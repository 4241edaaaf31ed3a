using System.Globalization;

namespace Backprop.NN;

/// <summary>One row of a <see cref="ModelSummary"/>: a layer, the shape it outputs and the parameters it holds.</summary>
/// <param name="Name">The layer's name in the model (PyTorch's: <c>0</c>, <c>1</c>, …, the prefix of its parameters' names).</param>
/// <param name="Type">What the layer is, with its arguments, e.g. <c>Dense(784, 128)</c>.</param>
/// <param name="OutputShape">One example's output shape, without the batch axis, e.g. <c>[128]</c>.</param>
/// <param name="Parameters">How many numbers its parameters hold (buffers such as running statistics are not parameters).</param>
/// <param name="TrainableParameters">How many of those require gradients.</param>
public sealed record LayerSummary(string Name, string Type, IReadOnlyList<int> OutputShape, long Parameters, long TrainableParameters);

/// <summary>
/// What <see cref="Module.Summary"/> reports, as Keras's <c>model.summary()</c> or torchinfo: every layer's output shape
/// and parameter count, the totals, and the memory the weights and one example's activations take.
/// <see cref="ToString"/> gives the table.
/// </summary>
public sealed partial class ModelSummary
{
    private ModelSummary(IReadOnlyList<int> inputShape, DType dtype, IReadOnlyList<LayerSummary> layers, long total, long trainable, long weightBytes, long activationBytes)
    {
        InputShape = inputShape;
        DType = dtype;
        Layers = layers;
        TotalParameters = total;
        TrainableParameters = trainable;
        WeightBytes = weightBytes;
        ActivationBytesPerExample = activationBytes;
    }

    /// <summary>One example's input shape, without the batch axis.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The element type of the model's parameters.</summary>
    public DType DType { get; }

    /// <summary>The layers in order: the steps of a <see cref="Sequential"/>, or the model itself when it is one block.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Numbers held by every parameter of the model.</summary>
    public long TotalParameters { get; }

    /// <summary>Numbers held by the parameters that require gradients (what an optimiser trains).</summary>
    public long TrainableParameters { get; }

    /// <summary>Bytes of the parameters and buffers: the model's size in memory and, about, in its file.</summary>
    public long WeightBytes { get; }

    /// <summary>Bytes of every layer's output for one example: what a forward pass keeps for the backward pass, per example of a batch.</summary>
    public long ActivationBytesPerExample { get; }

    /// <summary>Runs the model once on a zero example in its evaluation form (<see cref="InferenceMode"/>), without recording a graph, and sums it up.</summary>
    internal static ModelSummary Of(Module model, int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
            throw new ArgumentOutOfRangeException(nameof(inputShape), $"Summary: the input shape needs one or more dimensions ≥ 1 (without the batch axis), got [{string.Join(", ", inputShape)}].");
        var steps = model is Sequential sequential
            ? sequential.NamedChildren().ToList()
            : [(model.GetType().Name, model)];
        var layers = new List<LayerSummary>();
        long activationBytes = 0;
        // Evaluation semantics for this call only: the model's mode, statistics and generators stay as they were.
        using (InferenceMode.Enter())
        {
            var x = Tensor.Zeros(model.DType, [1, .. inputShape]);
            foreach (var (name, layer) in steps)
            {
                x = Forward(layer, x, name, inputShape);
                activationBytes += Bytes(x);
                long parameters = layer.Parameters().Sum(p => (long)p.Length);
                long trainable = layer.Parameters().Where(p => p.RequiresGrad).Sum(p => (long)p.Length);
                layers.Add(new LayerSummary(name, layer.ToString(), x.Shape[1..], parameters, trainable));
            }
        }
        long weightBytes = model.NamedParameters().Select(p => p.Parameter).Concat(model.NamedBuffers().Select(b => b.Buffer)).Sum(Bytes);
        return new ModelSummary(inputShape, model.DType, layers, layers.Sum(l => l.Parameters), layers.Sum(l => l.TrainableParameters), weightBytes, activationBytes);
    }

    private static long Bytes(Tensor tensor) => (long)tensor.Length * (tensor.DType == DType.Float32 ? sizeof(float) : sizeof(double));

    private static Tensor Forward(Module layer, Tensor x, string name, int[] inputShape)
    {
        try
        {
            return layer.Forward(x);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Summary: layer {name} ({layer}) does not take the shape [N, {string.Join(", ", x.Shape[1..])}] that input shape [{string.Join(", ", inputShape)}] gives it: {exception.Message}"), nameof(inputShape), exception);
        }
    }
}
