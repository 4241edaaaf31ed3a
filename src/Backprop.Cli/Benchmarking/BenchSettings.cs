namespace Backprop.Cli.Benchmarking;

/// <summary>What one <c>backprop bench</c> run was asked for.</summary>
/// <param name="Workloads">The names of the workloads to run.</param>
/// <param name="Threads">Threads for the compute kernels, or null for the library's default.</param>
/// <param name="DataFolder">A folder of MNIST IDX files, or null for the subset built into the tool.</param>
/// <param name="Json">Whether to print one JSON line per result instead of a table.</param>
/// <param name="Seed">The seed of initial weights, shuffling and random operands.</param>
internal sealed record BenchSettings(IReadOnlyCollection<string> Workloads, int? Threads, string? DataFolder, bool Json, int Seed);
