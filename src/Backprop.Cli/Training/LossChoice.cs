using Backprop.Losses;

namespace Backprop.Cli.Training;

/// <summary><c>--loss</c>: its default follows the task, and the regression losses refuse class labels.</summary>
internal static class LossChoice
{
    public static string Resolve(string loss, bool regression) => (loss, regression) switch
    {
        ("auto", true) => "mse",
        ("auto", false) => "cross-entropy",
        ("cross-entropy", true) => throw new ArgumentException("--loss cross-entropy needs classes; this label is a number to regress (use --loss mse, mae or huber, or --task classification)."),
        ("mae" or "huber", false) => throw new ArgumentException($"--loss {loss} is a regression loss; this label names classes (use --loss cross-entropy or mse, or --task regression)."),
        _ => loss,
    };

    public static Loss Create(string loss) => loss switch
    {
        "mse" => new MseLoss(),
        "mae" => new MaeLoss(),
        "huber" => new HuberLoss(),
        _ => new CrossEntropyLoss(),
    };
}
