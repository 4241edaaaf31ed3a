namespace Backprop.IO;

/// <summary>
/// A model file is malformed: cut short, inconsistent, or hostile. The message is one line that
/// names the file, then the tensor, field or offset concerned and what is wrong, for example
/// <c>model.safetensors: tensor '0.weight' has shape [2, 3] and dtype F32 (24 bytes) but data_offsets [0, 20] span 20 bytes</c>.
/// </summary>
/// <remarks>
/// Failures of the storage itself (a missing file, a disk error) stay <see cref="IOException"/>s
/// and are not wrapped, so a caller can tell "the file is bad" from "the disk is bad". (The
/// framework's <see cref="InvalidDataException"/> would fit the meaning but is sealed.)
/// </remarks>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception for a problem found in <paramref name="sourceName"/>.</summary>
    /// <param name="sourceName">The file path or other name the caller gave the data.</param>
    /// <param name="problem">What is wrong, naming the tensor, field or offset.</param>
    /// <param name="innerException">The parser error behind the problem, if any.</param>
    public ModelFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{sourceName}: {problem}", innerException)
    {
        SourceName = sourceName;
    }

    /// <summary>The file path or other name the caller gave the malformed data.</summary>
    public string SourceName { get; }
}
