using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// The built-in layers' registrations: how each is saved in a model file (<see cref="ModuleSerializer"/>)
/// and exported to ONNX (<see cref="OnnxExporter"/>). A new built-in layer adds its lines here.
/// </summary>
internal static class LayerRegistry
{
    /// <summary>Called once by <see cref="ModuleSerializer"/>'s static constructor.</summary>
    public static void RegisterSerializers()
    {
        ModuleSerializer.Register<Sequential>("Sequential",
            sequential => new JsonObject { ["layers"] = new JsonArray([.. sequential.Layers.Select(ModuleSerializer.Describe)]) },
            arguments => new Sequential([.. arguments.GetModules("layers")]));
        ModuleSerializer.Register<Dense>("Dense",
            dense => new JsonObject { ["inputs"] = dense.Inputs, ["outputs"] = dense.Outputs, ["bias"] = dense.Bias is not null },
            arguments =>
            {
                int inputs = arguments.GetInt("inputs"), outputs = arguments.GetInt("outputs");
                bool bias = arguments.GetBool("bias", true);
                arguments.Allocates((long)inputs * outputs + (bias ? outputs : 0));
                return new Dense(inputs, outputs, bias, seed: 0);
            });
        ModuleSerializer.Register<LeakyReLU>("LeakyReLU",
            leaky => new JsonObject { ["negative_slope"] = leaky.NegativeSlope },
            arguments => new LeakyReLU(arguments.GetDouble("negative_slope", 0.01)));
        ModuleSerializer.Register<ELU>("ELU",
            elu => new JsonObject { ["alpha"] = elu.Alpha },
            arguments => new ELU(arguments.GetDouble("alpha", 1.0)));
        RegisterConvolutionAndPooling();
        RegisterNormalization();
        RegisterRecurrent();
        ModuleSerializer.Register<Flatten>("Flatten",
            flatten => new JsonObject { ["start_dim"] = flatten.StartDim },
            arguments => new Flatten(arguments.GetInt("start_dim", 1)));
        ModuleSerializer.Register<Dropout>("Dropout",
            // The generator's position travels with the model, so a loaded model in training mode draws the saved model's next masks.
            dropout => new JsonObject { ["p"] = dropout.Probability, ["generator_state"] = dropout.GeneratorState.ToString(CultureInfo.InvariantCulture) },
            arguments =>
            {
                var dropout = new Dropout(arguments.GetDouble("p", 0.5), seed: 0);
                string state = arguments.GetString("generator_state", "0");
                if (!ulong.TryParse(state, NumberStyles.None, CultureInfo.InvariantCulture, out ulong position))
                    throw arguments.Error($"argument 'generator_state' must be a decimal integer in 0..{ulong.MaxValue}, got \"{state}\"");
                dropout.GeneratorState = position;
                return dropout;
            });
        ModuleSerializer.Register<Embedding>("Embedding",
            embedding => new JsonObject { ["vocabulary"] = embedding.Vocabulary, ["dimension"] = embedding.Dimension },
            arguments =>
            {
                int vocabulary = arguments.GetInt("vocabulary"), dimension = arguments.GetInt("dimension");
                arguments.Allocates(Elements(vocabulary, dimension));
                return new Embedding(vocabulary, dimension, seed: 0);
            });
        ModuleSerializer.Register<Standardize>("Standardize",
            standardize => new JsonObject { ["features"] = standardize.Features },
            arguments =>
            {
                // The statistics are the file's "mean" and "std" tensors; the layer is built with placeholders.
                int features = arguments.GetInt("features");
                if (features < 1) throw arguments.Error($"Standardize: features must be ≥ 1, got {features}.");
                arguments.Allocates(2L * features);
                return new Standardize(new float[features], Enumerable.Repeat(1f, features).ToArray());
            });
        RegisterWithoutArguments<GlobalAvgPool2d>("GlobalAvgPool2d");
        RegisterWithoutArguments<Sigmoid>("Sigmoid");
        RegisterWithoutArguments<Tanh>("Tanh");
        RegisterWithoutArguments<ReLU>("ReLU");
        RegisterWithoutArguments<GELU>("GELU");
        RegisterWithoutArguments<Softmax>("Softmax");
        RegisterWithoutArguments<LogSoftmax>("LogSoftmax");
    }

    private static void RegisterConvolutionAndPooling()
    {
        ModuleSerializer.Register<Conv2d>("Conv2d",
            conv => new JsonObject
            {
                ["in_channels"] = conv.InChannels, ["out_channels"] = conv.OutChannels, ["kernel_size"] = Pair(conv.KernelSize),
                ["stride"] = Pair(conv.Stride), ["padding"] = Pair(conv.Padding), ["dilation"] = Pair(conv.Dilation), ["bias"] = conv.Bias is not null,
            },
            arguments =>
            {
                int inChannels = arguments.GetInt("in_channels"), outChannels = arguments.GetInt("out_channels");
                var kernelSize = arguments.GetPair("kernel_size");
                var (stride, padding, dilation) = (arguments.GetPair("stride", (1, 1)), arguments.GetPair("padding", (0, 0)), arguments.GetPair("dilation", (1, 1)));
                bool bias = arguments.GetBool("bias", true);
                arguments.Allocates(Elements(outChannels, Sum(Elements(inChannels, kernelSize.Height, kernelSize.Width), bias ? 1 : 0)));
                return new Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, bias, seed: 0);
            });
        ModuleSerializer.Register<MaxPool2d>("MaxPool2d",
            pool => new JsonObject { ["kernel_size"] = Pair(pool.KernelSize), ["stride"] = Pair(pool.Stride), ["padding"] = Pair(pool.Padding), ["dilation"] = Pair(pool.Dilation) },
            arguments =>
            {
                var kernelSize = arguments.GetPair("kernel_size");
                return new MaxPool2d(kernelSize, arguments.GetPair("stride", kernelSize), arguments.GetPair("padding", (0, 0)), arguments.GetPair("dilation", (1, 1)));
            });
        ModuleSerializer.Register<AvgPool2d>("AvgPool2d",
            pool => new JsonObject
            {
                ["kernel_size"] = Pair(pool.KernelSize), ["stride"] = Pair(pool.Stride), ["padding"] = Pair(pool.Padding), ["count_include_pad"] = pool.CountIncludePad,
            },
            arguments =>
            {
                var kernelSize = arguments.GetPair("kernel_size");
                return new AvgPool2d(kernelSize, arguments.GetPair("stride", kernelSize), arguments.GetPair("padding", (0, 0)), arguments.GetBool("count_include_pad", true));
            });
    }

    private static void RegisterNormalization()
    {
        RegisterBatchNorm("BatchNorm1d", (features, epsilon, momentum, affine, track) => new BatchNorm1d(features, epsilon, momentum, affine, track));
        RegisterBatchNorm("BatchNorm2d", (features, epsilon, momentum, affine, track) => new BatchNorm2d(features, epsilon, momentum, affine, track));
        ModuleSerializer.Register<LayerNorm>("LayerNorm",
            norm => new JsonObject
            {
                ["normalized_shape"] = new JsonArray([.. norm.NormalizedShape.Select(d => (JsonNode)d)]), ["epsilon"] = norm.Epsilon, ["elementwise_affine"] = norm.Weight is not null,
            },
            arguments =>
            {
                int[] shape = arguments.GetInts("normalized_shape");
                double epsilon = arguments.GetDouble("epsilon", 1e-5);
                bool affine = arguments.GetBool("elementwise_affine", true);
                arguments.Allocates(affine ? Elements([2, .. shape]) : 0);
                return new LayerNorm(shape, epsilon, affine);
            });
    }

    private static void RegisterBatchNorm<TNorm>(string typeName, Func<int, double, double, bool, bool, TNorm> create) where TNorm : BatchNorm =>
        ModuleSerializer.Register<TNorm>(typeName,
            norm => new JsonObject
            {
                ["num_features"] = norm.NumFeatures, ["epsilon"] = norm.Epsilon, ["momentum"] = norm.Momentum,
                ["affine"] = norm.Weight is not null, ["track_running_stats"] = norm.RunningMean is not null,
            },
            arguments =>
            {
                int features = arguments.GetInt("num_features");
                double epsilon = arguments.GetDouble("epsilon", 1e-5), momentum = arguments.GetDouble("momentum", 0.1);
                bool affine = arguments.GetBool("affine", true), track = arguments.GetBool("track_running_stats", true);
                arguments.Allocates(features < 0 ? -1 : (affine ? 2L * features : 0) + (track ? 2L * features + 1 : 0));
                return create(features, epsilon, momentum, affine, track);
            });

    private static void RegisterRecurrent()
    {
        RegisterRecurrent("Lstm", gates: 4, (_, sizes) => new Lstm(sizes.Input, sizes.Hidden, sizes.Layers, sizes.Bias, sizes.BatchFirst, seed: 0));
        RegisterRecurrent("Gru", gates: 3, (_, sizes) => new Gru(sizes.Input, sizes.Hidden, sizes.Layers, sizes.Bias, sizes.BatchFirst, seed: 0));
        RegisterRecurrent("Rnn", gates: 1, (arguments, sizes) =>
        {
            string nonlinearity = arguments.GetString("nonlinearity", "tanh");
            var kind = nonlinearity switch
            {
                "tanh" => RnnNonlinearity.Tanh,
                "relu" => RnnNonlinearity.Relu,
                _ => throw arguments.Error($"argument 'nonlinearity' must be \"tanh\" or \"relu\", got \"{nonlinearity}\""),
            };
            return new Rnn(sizes.Input, sizes.Hidden, sizes.Layers, kind, sizes.Bias, sizes.BatchFirst, seed: 0);
        }, rnn => rnn.Nonlinearity == RnnNonlinearity.Relu ? "relu" : "tanh");
    }

    private static void RegisterRecurrent<TLayer>(
        string typeName, int gates, Func<LayerArguments, (int Input, int Hidden, int Layers, bool Bias, bool BatchFirst), TLayer> create,
        Func<TLayer, string>? nonlinearity = null) where TLayer : RecurrentLayer =>
        ModuleSerializer.Register<TLayer>(typeName,
            layer =>
            {
                var json = new JsonObject
                {
                    ["input_size"] = layer.InputSize, ["hidden_size"] = layer.HiddenSize, ["num_layers"] = layer.NumLayers,
                    ["bias"] = layer.HasBias, ["batch_first"] = layer.BatchFirst,
                };
                if (nonlinearity is not null) json["nonlinearity"] = nonlinearity(layer);
                return json;
            },
            arguments =>
            {
                int input = arguments.GetInt("input_size"), hidden = arguments.GetInt("hidden_size"), layers = arguments.GetInt("num_layers", 1);
                bool bias = arguments.GetBool("bias", true), batchFirst = arguments.GetBool("batch_first", false);
                // Layer 0 reads the input, the others the hidden state below; each has W_ih, W_hh and, with bias, b_ih and b_hh.
                long first = Elements(gates, hidden, input + (long)hidden + (bias ? 2 : 0));
                long rest = Elements(layers - 1L, gates, hidden, 2L * hidden + (bias ? 2 : 0));
                arguments.Allocates(Sum(first, rest));
                return create(arguments, (input, hidden, layers, bias, batchFirst));
            });

    /// <summary>
    /// The product of sizes from an untrusted file, saturating at <see cref="long.MaxValue"/> so huge sizes
    /// fail the element budget instead of overflowing past it; −1 (no claim) when a size is negative,
    /// which the layer's constructor then reports.
    /// </summary>
    private static long Elements(params long[] sizes)
    {
        if (sizes.Any(size => size < 0)) return -1;
        Int128 product = 1;
        foreach (long size in sizes) product = Int128.Min(product * size, (Int128)long.MaxValue);
        return (long)product;
    }

    /// <summary>A sum of <see cref="Elements"/> counts, saturating likewise; −1 when either is.</summary>
    private static long Sum(long first, long second) =>
        first < 0 || second < 0 ? -1 : (long)Int128.Min((Int128)first + second, (Int128)long.MaxValue);

    private static JsonArray Pair((int Height, int Width) value) => [value.Height, value.Width];

    /// <summary>Called once by <see cref="OnnxExporter"/>'s static constructor.</summary>
    public static void RegisterOnnxExports()
    {
        OnnxExporter.Register<Sequential>(
            (sequential, graph, input) =>
            {
                for (int i = 0; i < sequential.Count; i++)
                    input = graph.Export(sequential[i], input, i.ToString(CultureInfo.InvariantCulture));
                return input;
            },
            sequential => OnnxExporter.InputShapeOf(sequential.Layers));
        OnnxExporter.Register<Dense>(
            (dense, graph, input) => graph.AddNode("Gemm",
                [input, graph.AddInitializer("weight", dense.Weight), dense.Bias is null ? "" : graph.AddInitializer("bias", dense.Bias)],
                OnnxAttribute.Int("transB", 1)),
            dense => [dense.Inputs]);
        OnnxExporter.Register<LeakyReLU>((leaky, graph, input) => graph.AddNode("LeakyRelu", [input], OnnxAttribute.Float("alpha", (float)leaky.NegativeSlope)), Elementwise);
        OnnxExporter.Register<ELU>((elu, graph, input) => graph.AddNode("Elu", [input], OnnxAttribute.Float("alpha", (float)elu.Alpha)), Elementwise);
        OnnxExporter.Register<Sigmoid>((_, graph, input) => graph.AddNode("Sigmoid", [input]), Elementwise);
        OnnxExporter.Register<Tanh>((_, graph, input) => graph.AddNode("Tanh", [input]), Elementwise);
        OnnxExporter.Register<ReLU>((_, graph, input) => graph.AddNode("Relu", [input]), Elementwise);
        OnnxExporter.Register<Softmax>((_, graph, input) => graph.AddNode("Softmax", [input], OnnxAttribute.Int("axis", -1)), Elementwise);
        OnnxExporter.Register<LogSoftmax>((_, graph, input) => graph.AddNode("LogSoftmax", [input], OnnxAttribute.Int("axis", -1)), Elementwise);
        OnnxExporter.Register<GELU>((_, graph, input) => ExportGelu(graph, input), Elementwise);
        OnnxExporter.Register<Dropout>((_, _, input) => input, Elementwise);
        OnnxExporter.Register<Standardize>(
            (standardize, graph, input) => graph.AddNode("Div",
                [graph.AddNode("Sub", [input, graph.AddInitializer("mean", standardize.Mean)]), graph.AddInitializer("std", standardize.StandardDeviation)]),
            standardize => [standardize.Features]);
        OnnxExporter.Register<BatchNorm1d>(OnnxNormalizationExport.BatchNorm, norm => [norm.NumFeatures]);
        OnnxExporter.Register<BatchNorm2d>(OnnxNormalizationExport.BatchNorm);
        OnnxExporter.Register<LayerNorm>(OnnxNormalizationExport.LayerNorm, norm => norm.NormalizedShape);
        OnnxExporter.Register<Conv2d>((conv, graph, input) => graph.AddNode("Conv",
            [input, graph.AddInitializer("weight", conv.Weight), conv.Bias is null ? "" : graph.AddInitializer("bias", conv.Bias)],
            OnnxAttribute.Ints("kernel_shape", conv.KernelSize.Height, conv.KernelSize.Width), OnnxAttribute.Ints("strides", conv.Stride.Height, conv.Stride.Width),
            Pads(conv.Padding), OnnxAttribute.Ints("dilations", conv.Dilation.Height, conv.Dilation.Width)));
        OnnxExporter.Register<MaxPool2d>((pool, graph, input) => graph.AddNode("MaxPool", [input],
            OnnxAttribute.Ints("kernel_shape", pool.KernelSize.Height, pool.KernelSize.Width), OnnxAttribute.Ints("strides", pool.Stride.Height, pool.Stride.Width),
            Pads(pool.Padding), OnnxAttribute.Ints("dilations", pool.Dilation.Height, pool.Dilation.Width)));
        OnnxExporter.Register<AvgPool2d>((pool, graph, input) => graph.AddNode("AveragePool", [input],
            OnnxAttribute.Ints("kernel_shape", pool.KernelSize.Height, pool.KernelSize.Width), OnnxAttribute.Ints("strides", pool.Stride.Height, pool.Stride.Width),
            Pads(pool.Padding), OnnxAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0)));
        OnnxExporter.Register<GlobalAvgPool2d>((_, graph, input) =>
            graph.AddNode("Flatten", [graph.AddNode("GlobalAveragePool", [input])], OnnxAttribute.Int("axis", 1)));
        OnnxExporter.Register<Flatten>((flatten, graph, input) => flatten.StartDim == 1
            ? graph.AddNode("Flatten", [input], OnnxAttribute.Int("axis", 1))
            // ONNX's Flatten always gives two axes; Backprop keeps every axis before StartDim, which Reshape's 0 ("copy this axis") does.
            : graph.AddNode("Reshape", [input, graph.AddInt64Constant([.. Enumerable.Repeat(0L, flatten.StartDim), -1])]));
        // Backprop's Embedding takes whole numbers in the model's float type; ONNX's Gather wants integers.
        OnnxExporter.Register<Embedding>((embedding, graph, input) => graph.AddNode("Gather",
            [graph.AddInitializer("weight", embedding.Weight), graph.AddNode("Cast", [input], OnnxAttribute.Int("to", 7))], OnnxAttribute.Int("axis", 0)));
        OnnxExporter.Register<Lstm>((lstm, graph, input) => OnnxRecurrentExport.Export(lstm, graph, input, "LSTM", OnnxRecurrentExport.LstmGates));
        OnnxExporter.Register<Gru>((gru, graph, input) =>
            OnnxRecurrentExport.Export(gru, graph, input, "GRU", OnnxRecurrentExport.GruGates, OnnxAttribute.Int("linear_before_reset", 1)));
        OnnxExporter.Register<Rnn>((rnn, graph, input) => OnnxRecurrentExport.Export(rnn, graph, input, "RNN", [0],
            OnnxAttribute.Strings("activations", rnn.Nonlinearity == RnnNonlinearity.Relu ? "Relu" : "Tanh")));
    }

    /// <summary>ONNX pads are [top, left, bottom, right]: begins of each axis, then ends; Backprop pads both sides alike.</summary>
    private static OnnxAttribute Pads((int Height, int Width) padding) =>
        OnnxAttribute.Ints("pads", padding.Height, padding.Width, padding.Height, padding.Width);

    /// <summary>The exact GELU x·Φ(x) = ½·x·(1 + erf(x/√2)) from opset-13 operators (ONNX's own Gelu needs opset 20).</summary>
    private static string ExportGelu(OnnxGraphBuilder graph, string input)
    {
        string scaled = graph.AddNode("Div", [input, graph.AddConstant(Math.Sqrt(2))]);
        string onePlusErf = graph.AddNode("Add", [graph.AddNode("Erf", [scaled]), graph.AddConstant(1)]);
        return graph.AddNode("Mul", [graph.AddNode("Mul", [input, onePlusErf]), graph.AddConstant(0.5)]);
    }

    /// <summary>An elementwise layer takes any shape and keeps it.</summary>
    private static int[]? Elementwise<TModule>(TModule module) => null;

    private static void RegisterWithoutArguments<TModule>(string typeName) where TModule : Module, new() =>
        ModuleSerializer.Register<TModule>(typeName, _ => [], _ => new TModule());
}
