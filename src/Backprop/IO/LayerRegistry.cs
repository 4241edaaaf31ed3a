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
        RegisterWithoutArguments<Sigmoid>("Sigmoid");
        RegisterWithoutArguments<Tanh>("Tanh");
        RegisterWithoutArguments<ReLU>("ReLU");
        RegisterWithoutArguments<GELU>("GELU");
        RegisterWithoutArguments<Softmax>("Softmax");
        RegisterWithoutArguments<LogSoftmax>("LogSoftmax");
    }

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
    }

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
