using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// A layer's model-file contract, written beside its forward pass: the <c>"type"</c> it is saved under, its
/// constructor arguments, and how a new layer is built from them. <see cref="ModuleSerializer"/> finds
/// Backprop's own layers by this interface; a layer of your own implements it and calls
/// <see cref="ModuleSerializer.Register{TLayer}()"/> once before its first save or load.
/// </summary>
/// <typeparam name="TSelf">The layer itself.</typeparam>
/// <remarks>
/// Parameters and buffers need no description: they are the file's tensors, named by
/// <see cref="Module.NamedParameters"/> and <see cref="Module.NamedBuffers"/>.
/// <code>
/// public sealed class Scale(double factor) : Module, ISerializableLayer&lt;Scale&gt;
/// {
///     public double Factor { get; } = factor;
///     public override Tensor Forward(Tensor input) =&gt; input * Factor;
///     public static string TypeName =&gt; "MyApp.Scale";
///     public static Scale FromArguments(LayerArguments arguments) =&gt; new(arguments.GetDouble("factor"));
///     public JsonObject DescribeArguments() =&gt; new() { ["factor"] = Factor };
/// }
///
/// ModuleSerializer.Register&lt;Scale&gt;();   // once, before the first save or load
/// </code>
/// </remarks>
public interface ISerializableLayer<TSelf> where TSelf : Module, ISerializableLayer<TSelf>
{
    /// <summary>The <c>"type"</c> written to the file, e.g. <c>"Dense"</c>: unique among layers and stable across versions.</summary>
    static abstract string TypeName { get; }

    /// <summary>
    /// A new layer from the arguments <see cref="DescribeArguments"/> wrote. Read every argument (one left
    /// unread is reported as unknown), call <see cref="LayerArguments.Allocates"/> before a layer with sizes
    /// allocates its tensors, and pass a fixed seed rather than drawing from <see cref="Rng"/>: the file's
    /// tensors overwrite the initial values anyway.
    /// </summary>
    /// <exception cref="ModelFormatException">An argument is missing or invalid (the getters of <paramref name="arguments"/> throw it).</exception>
    static abstract TSelf FromArguments(LayerArguments arguments);

    /// <summary>The layer's constructor arguments, without <c>"type"</c>; an empty object when it takes none.</summary>
    JsonObject DescribeArguments();
}
