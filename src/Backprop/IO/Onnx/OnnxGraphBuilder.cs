using System.Buffers.Binary;
using System.Globalization;
using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;

namespace Backprop.IO;

/// <summary>
/// Collects the nodes and initializers of an ONNX graph while <see cref="OnnxExporter"/> walks a model.
/// A layer's export function receives the builder and the name of its input value, adds nodes, and
/// returns the name of its output value.
/// </summary>
/// <remarks>
/// Initializers are named by the layer's path and the parameter's name, which gives PyTorch's names
/// (<c>0.weight</c>), so an exported graph is easy to compare with the model it came from.
/// <code>
/// string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) =&gt; graph.AddNode("Gemm",   // Dense
///     [input, graph.AddInitializer("weight", Weight), Bias is null ? "" : graph.AddInitializer("bias", Bias)], OnnxAttribute.Int("transB", 1));
/// </code>
/// </remarks>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly Stack<string> _scope = new();
    private int _counter;

    internal OnnxGraphBuilder(GraphProto graph, DType dtype)
    {
        _graph = graph;
        DType = dtype;
    }

    /// <summary>The element type of the model, and so of every initializer and constant.</summary>
    public DType DType { get; }

    /// <summary>The opset the graph needs: <see cref="OnnxExporter.DefaultOpset"/> unless a layer asked for more with <see cref="RequireOpset"/>.</summary>
    public int Opset { get; private set; } = OnnxExporter.DefaultOpset;

    /// <summary>Raises the opset the file declares, for a layer whose operator (or whose form of it) is newer than opset 13.</summary>
    public void RequireOpset(int version) => Opset = Math.Max(Opset, version);

    /// <summary>The ONNX data type code of <see cref="DType"/>: 1 (FLOAT) or 11 (DOUBLE).</summary>
    internal int ElementType => DType == DType.Float32 ? (int)TensorProto.Types.DataType.Float : (int)TensorProto.Types.DataType.Double;

    /// <summary>Adds a constant tensor (a weight) named after the current layer, e.g. <c>0.weight</c>; returns that name.</summary>
    /// <param name="name">The parameter's own name within the layer, e.g. <c>"weight"</c>.</param>
    /// <param name="value">The values, converted to <see cref="DType"/>; the shape is kept.</param>
    public string AddInitializer(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        string fullName = Qualify(name);
        var tensor = new TensorProto { Name = fullName, DataType = ElementType };
        tensor.Dims.AddRange(value.Dims.Select(d => (long)d));
        var bytes = new byte[value.Length * (DType == DType.Float32 ? sizeof(float) : sizeof(double))];
        if (DType == DType.Float32)
        {
            float[] values = value.ToFloatArray();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        else
        {
            double[] values = value.ToDoubleArray();
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return fullName;
    }

    /// <summary>Adds a scalar constant of <see cref="DType"/> (broadcast by the elementwise operators); returns its name.</summary>
    public string AddConstant(double value) =>
        AddInitializer(string.Create(CultureInfo.InvariantCulture, $"const_{_counter++}"), Tensor.Scalar(value, DType));

    /// <summary>
    /// Adds a 1-D INT64 constant, for the operator inputs that are integer lists rather than data
    /// (Squeeze's axes, Reshape's shape); returns its name.
    /// </summary>
    public string AddInt64Constant(params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = new TensorProto { Name = Qualify(string.Create(CultureInfo.InvariantCulture, $"const_{_counter++}")), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>"Gemm"</c>.</param>
    /// <param name="inputs">Its inputs in the operator's order; <c>""</c> leaves an optional input out.</param>
    /// <param name="attributes">Its attributes.</param>
    public string AddNode(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        AddNode(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node of the <c>ai.onnx.ml</c> domain (Imputer, OneHotEncoder) with one output; the file then imports that domain.</summary>
    internal string AddMlNode(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        string output = AddNode(opType, inputs, attributes);
        _graph.Node[^1].Domain = OnnxExporter.MlDomain;
        UsesMlDomain = true;
        return output;
    }

    /// <summary>Whether a node of the <c>ai.onnx.ml</c> domain was added.</summary>
    internal bool UsesMlDomain { get; private set; }

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs (e.g. LSTM's Y, Y_h, Y_c) and returns their names.</summary>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        int number = _counter++;
        var node = new NodeProto { OpType = opType, Name = Qualify(string.Create(CultureInfo.InvariantCulture, $"{opType}_{number}")) };
        node.Input.AddRange(inputs);
        for (int i = 0; i < outputCount; i++)
            node.Output.Add(Qualify(string.Create(CultureInfo.InvariantCulture, $"{opType}_{number}_out{i}")));
        node.Attribute.AddRange(attributes.Select(attribute => attribute.Proto));
        _graph.Node.Add(node);
        return node.Output;
    }

    /// <summary>Exports <paramref name="module"/> (a container's child) as <see cref="OnnxExporter"/> does the model; returns its output's name.</summary>
    /// <param name="module">The layer.</param>
    /// <param name="input">The name of the value it reads.</param>
    /// <param name="name">The child's name in its parent (e.g. <c>"0"</c>), which prefixes its initializers' names.</param>
    /// <exception cref="NotSupportedException">The layer neither implements <see cref="IOnnxExportable"/> nor has an export registered.</exception>
    public string Export(Module module, string input, string name)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _scope.Push(name);
        try
        {
            return OnnxExporter.ExportModule(module, this, input);
        }
        finally
        {
            _scope.Pop();
        }
    }

    private string Qualify(string name) => _scope.Count == 0 ? name : $"{string.Join('.', _scope.Reverse())}.{name}";
}
