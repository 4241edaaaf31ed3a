using Backprop.IO.Onnx.Proto;
using Backprop.NN;
using Google.Protobuf;
using Module = Backprop.NN.Module;

namespace Backprop.IO;

/// <summary>
/// Writes a model as an ONNX file for deployment (ONNX Runtime, other frameworks): opset 13 or newer,
/// input <c>"input"</c> of shape [batch, …] and output <c>"output"</c>, with the batch dimension the
/// symbol <c>"batch"</c>, weights as initializers under their PyTorch names. The graph is the model's
/// evaluation form (dropout is the identity, batch norm uses its running statistics).
/// </summary>
/// <remarks>
/// A layer exports itself through <see cref="IOnnxExportable"/> (layer, builder, input name → output name),
/// which also tells the per-example input shape it needs (<c>[inputs]</c> for Dense), so <see cref="Export"/>
/// can work out the model's input shape when none is given. A type that does not implement it can be
/// registered with <see cref="Register"/>.
/// <para>The built-in layers all export at opset 13: Dense (Gemm), the activations, Conv2d (Conv), MaxPool2d
/// (MaxPool), AvgPool2d (AveragePool), GlobalAvgPool2d (GlobalAveragePool, Flatten), Flatten (Flatten, or
/// Reshape for another start axis), Dropout (nothing: the identity), BatchNorm1d/2d (BatchNormalization with
/// the running statistics), LayerNorm (ReduceMean, Sub, Mul, Add, Sqrt, Div), Standardize (Sub, Div),
/// Embedding (Cast to INT64, Gather) and Lstm/Gru/Rnn (LSTM/GRU/RNN, one per stacked layer). The
/// file's first input axis is always the symbolic <c>"batch"</c>; for a time-major recurrent model it is
/// time, and the batch size is fixed by the input shape, so export such models with <c>batchFirst</c>.</para>
/// </remarks>
public static partial class OnnxExporter
{
    /// <summary>The opset written unless a layer needs a newer one.</summary>
    public const int DefaultOpset = 13;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<Type, Registration> Registrations = [];

    /// <summary>
    /// Registers how modules of type <typeparamref name="TModule"/> become ONNX nodes, for a type that does not
    /// implement <see cref="IOnnxExportable"/> (a registration also takes precedence over it).
    /// </summary>
    /// <param name="export">Adds the layer's nodes reading the value named by its third argument; returns the output value's name.</param>
    /// <param name="inputShape">
    /// The per-example input shape the layer needs (e.g. <c>[inputs]</c> for Dense, without the batch
    /// dimension), or null when the layer accepts any shape and keeps it (elementwise layers). Omit the
    /// function when the layer cannot tell (e.g. Flatten); the caller then passes the input shape.
    /// </param>
    public static void Register<TModule>(Func<TModule, OnnxGraphBuilder, string, string> export, Func<TModule, int[]?>? inputShape = null) where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(export);
        lock (Gate)
        {
            Registrations[typeof(TModule)] = new Registration(
                (module, graph, input) => export((TModule)module, graph, input),
                inputShape is null ? _ => OnnxInputShape.Unknown : module => inputShape((TModule)module) is int[] shape ? OnnxInputShape.Of(shape) : OnnxInputShape.KeepsShape);
        }
    }

    /// <summary>
    /// The per-example input shape a chain of layers needs: that of the first layer which tells one, looking
    /// past layers that keep the shape; <see cref="OnnxInputShape.KeepsShape"/> when every layer keeps it.
    /// </summary>
    public static OnnxInputShape InputShapeOf(IEnumerable<Module> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        foreach (var module in chain)
        {
            var shape = InputShapeOf(module);
            if (!shape.KeepsAnyShape) return shape;
        }

        return OnnxInputShape.KeepsShape;
    }

    /// <summary>Writes <paramref name="model"/> as an ONNX file at <paramref name="path"/>, atomically.</summary>
    /// <param name="model">The model; it is run once on zeros in evaluation mode to learn the output shape, then put back in its mode.</param>
    /// <param name="path">The file to create or replace, usually <c>*.onnx</c>.</param>
    /// <param name="inputShape">The per-example input shape (without the batch dimension), e.g. <c>[784]</c>; null takes the description's, else works it out from the first layer.</param>
    /// <param name="description">What the inputs and outputs mean: its class names and preprocessing go into the file's <c>metadata_props</c> (see <see cref="OnnxMetadata"/>); null writes only the library version.</param>
    /// <exception cref="NotSupportedException">A layer neither implements <see cref="IOnnxExportable"/> nor has an ONNX export registered.</exception>
    /// <exception cref="ArgumentException">No input shape was given and the model does not tell one.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Export(Module model, string path, int[]? inputShape = null, ModelDescription? description = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        int[] shape = inputShape ?? description?.InputShape?.ToArray() ?? InputShapeOf(model).Dimensions
            ?? throw new ArgumentException($"ExportOnnx: the input shape of {model} cannot be worked out from its first layer; pass inputShape (without the batch dimension).", nameof(inputShape));
        if (shape.Any(d => d < 1))
            throw new ArgumentOutOfRangeException(nameof(inputShape), $"ExportOnnx: every input dimension must be ≥ 1, got [{string.Join(", ", shape)}].");

        var graph = new GraphProto { Name = model.GetType().Name };
        var builder = new OnnxGraphBuilder(graph, model.DType);
        string output = ExportModule(model, builder, "input");
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = "output_Identity", Input = { output }, Output = { "output" } });
        graph.Input.Add(ValueInfo("input", builder.ElementType, shape));
        graph.Output.Add(ValueInfo("output", builder.ElementType, OutputShape(model, shape)));

        var onnx = new ModelProto
        {
            IrVersion = IrVersionFor(builder.Opset),
            ProducerName = "Backprop",
            ProducerVersion = OnnxMetadata.LibraryVersion,
            Graph = graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = builder.Opset });
        OnnxMetadata.Write(onnx, description);
        AtomicFile.Write(path, stream => onnx.WriteTo(stream));
    }

    /// <summary>Exports one module through its registration or its own <see cref="IOnnxExportable"/>.</summary>
    internal static string ExportModule(Module module, OnnxGraphBuilder graph, string input) =>
        RegistrationOf(module) is Registration registration ? registration.Export(module, graph, input)
        : module is IOnnxExportable exportable ? exportable.ToOnnx(graph, input)
        : throw new NotSupportedException(
            $"ExportOnnx: {module} has no ONNX export; implement IOnnxExportable or register one with OnnxExporter.Register<{module.GetType().Name}>.");

    private static OnnxInputShape InputShapeOf(Module module) =>
        RegistrationOf(module) is Registration registration ? registration.InputShape(module)
        : module is IOnnxExportable exportable ? exportable.InputShape
        : OnnxInputShape.Unknown;

    private static Registration? RegistrationOf(Module module)
    {
        lock (Gate) return Registrations.GetValueOrDefault(module.GetType());
    }

    /// <summary>The IR version that goes with an opset, as the ONNX versioning table pairs them.</summary>
    private static long IrVersionFor(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private static int[] OutputShape(Module model, int[] inputShape)
    {
        using (InferenceMode.Enter())
            return model.Forward(Tensor.Zeros(model.DType, [1, .. inputShape])).Shape[1..];
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, int[] perExampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int dimension in perExampleShape) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } } };
    }

    private sealed record Registration(Func<Module, OnnxGraphBuilder, string, string> Export, Func<Module, OnnxInputShape> InputShape);
}
