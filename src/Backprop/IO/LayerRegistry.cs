using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// The built-in layers' registrations: how each is saved in a model file (<see cref="ModuleSerializer"/>)
/// and exported to ONNX (<c>OnnxExporter</c>). A new built-in layer adds its lines here.
/// </summary>
internal static class LayerRegistry
{
    /// <summary>Called once by <see cref="ModuleSerializer"/>'s static constructor.</summary>
    public static void RegisterBuiltIns()
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

    private static void RegisterWithoutArguments<TModule>(string typeName) where TModule : Module, new() =>
        ModuleSerializer.Register<TModule>(typeName, _ => [], _ => new TModule());
}
