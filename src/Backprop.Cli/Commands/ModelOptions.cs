using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>The options <c>evaluate</c> and <c>predict</c> share: which model, on which data.</summary>
internal static class ModelOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "The model file written by backprop train",
        DefaultValueFactory = _ => "model.safetensors",
        HelpName = "path",
    };

    public static Option<string?> Data(string purpose) => new("--data")
    {
        Description = $"{purpose}: an MNIST folder (its test set) for an MNIST model, a CSV file with the model's feature columns "
            + "for a CSV model, an image folder (or, for predict, one image file) for an image model (default: the embedded MNIST test set)",
        HelpName = "path",
    };
}
