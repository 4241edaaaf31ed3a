namespace Backprop.Tests;

/// <summary>
/// Tests that measure process-wide memory (GC.GetTotalMemory) run alone: allocations of tests
/// running in parallel would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "Memory measurement";
}
