using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// Layers applied one after another; the i-th layer's parameters are named <c>i.weight</c>, <c>i.bias</c>
/// as in PyTorch's <c>nn.Sequential</c>.
/// </summary>
/// <example>
/// <code>var model = new Sequential(new Dense(2, 2), new Sigmoid(), new Dense(2, 1), new Sigmoid());</code>
/// </example>
public sealed class Sequential : Module, ISerializableLayer<Sequential>, IOnnxExportable
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the stack from its layers, in order.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a layer; returns this stack.</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Count;

    /// <inheritdoc />
    /// <remarks>
    /// Runs through <see cref="LayerChain.Forward"/>: a layer that fuses with the next (<see cref="IFusable"/>, e.g.
    /// <see cref="Dense"/> then <see cref="ReLU"/>) runs with it as one operation, with the same results.
    /// </remarks>
    public override Tensor Forward(Tensor input) => LayerChain.Forward(_layers, input);

    static string ISerializableLayer<Sequential>.TypeName => "Sequential";

    static Sequential ISerializableLayer<Sequential>.FromArguments(LayerArguments arguments) => new([.. arguments.GetModules("layers")]);

    JsonObject ISerializableLayer<Sequential>.DescribeArguments() => new() { ["layers"] = new JsonArray([.. _layers.Select(ModuleSerializer.Describe)]) };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input)
    {
        for (int i = 0; i < _layers.Count; i++)
            input = graph.Export(_layers[i], input, i.ToString(CultureInfo.InvariantCulture));
        return input;
    }

    OnnxInputShape IOnnxExportable.InputShape => OnnxExporter.InputShapeOf(_layers);

    /// <inheritdoc />
    public override string ToString() => $"Sequential({string.Join(", ", _layers)})";
}
