using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Cli.Benchmarking;

namespace Backprop.Cli.Commands;

/// <summary>The options of <c>backprop bench</c> and how they become <see cref="BenchSettings"/>.</summary>
internal sealed class BenchOptions
{
    private readonly Option<string[]> _only = new("--only")
    {
        Description = $"Run only these workloads, comma-separated: {string.Join(", ", Workloads.Names)}",
        CustomParser = ParseOnly,
        HelpName = "a,b",
    };

    private readonly Option<int?> _threads = new("--threads")
    {
        Description = "Threads for the compute kernels (default: all cores)",
        CustomParser = result => OptionValues.IntAtLeast("--threads", 1)(result),
        HelpName = "N",
    };

    private readonly Option<string?> _data = new("--data")
    {
        Description = "Folder of the MNIST 10k subset in IDX files (default: the copy built into the tool)",
        HelpName = "folder",
    };

    private readonly Option<bool> _json = CommonOptions.Json();

    private readonly Option<int?> _seed = CommonOptions.Seed("initial weights, shuffling and random matrices (default 1, the libtorch reference's torch.manual_seed)");

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _only, _threads, _data, _json, _seed }) command.Options.Add(option);
    }

    public BenchSettings Settings(ParseResult parseResult) => new(
        parseResult.GetValue(_only) is { Length: > 0 } chosen ? chosen : Workloads.Names,
        parseResult.GetValue(_threads),
        parseResult.GetValue(_data),
        parseResult.GetValue(_json),
        parseResult.GetValue(_seed) ?? 1);

    private static string[] ParseOnly(ArgumentResult result)
    {
        var names = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var unknown = names.Where(n => !Workloads.Names.Contains(n)).ToArray();
        if (unknown.Length > 0)
            result.AddError($"--only must name workloads among {string.Join(", ", Workloads.Names)}, got '{string.Join(", ", unknown)}'.");
        return names;
    }
}
