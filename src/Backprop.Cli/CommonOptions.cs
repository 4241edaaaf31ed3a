using System.CommandLine;

namespace Backprop.Cli;

/// <summary>Options every command offers with the same name and meaning; each command creates its own instances.</summary>
internal static class CommonOptions
{
    public static Option<int?> Seed(string purpose) => new("--seed") { Description = $"Random seed: {purpose}", HelpName = "n" };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as one JSON document, for machines, instead of tables" };
}
