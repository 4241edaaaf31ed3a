namespace Backprop.Cli.Files;

/// <summary>The command line asks for something that cannot be right, such as writing over one of its own inputs: exit 2, nothing touched.</summary>
internal sealed class UsageException(string message) : Exception(message);
