namespace Backprop.Tests;

/// <summary>Tests that change the process-wide <see cref="Threads.Count"/>; they run alone.</summary>
[CollectionDefinition("Threads", DisableParallelization = true)]
public sealed class ThreadsCollection
{
}
