using Backprop.IO.Onnx.Proto;
using Google.Protobuf;

namespace Backprop.IO;

/// <summary>A named attribute of an ONNX node, e.g. <c>OnnxAttribute.Int("transB", 1)</c> or <c>OnnxAttribute.Ints("kernel_shape", 3, 3)</c>.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(AttributeProto proto) => Proto = proto;

    internal AttributeProto Proto { get; }

    /// <summary>An integer attribute (ONNX <c>INT</c>).</summary>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>A float attribute (ONNX <c>FLOAT</c>, single precision as the format stores it).</summary>
    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Float, F = value });

    /// <summary>A string attribute (ONNX <c>STRING</c>, UTF-8), e.g. an LSTM's <c>direction</c>.</summary>
    public static OnnxAttribute String(string name, string value) =>
        new(new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value ?? throw new ArgumentNullException(nameof(value))) });

    /// <summary>A list of integers (ONNX <c>INTS</c>), e.g. <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>.</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var proto = new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Ints };
        proto.Ints.AddRange(values);
        return new(proto);
    }

    /// <summary>A list of floats (ONNX <c>FLOATS</c>), e.g. an RNN's <c>activation_alpha</c>.</summary>
    public static OnnxAttribute Floats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var proto = new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Floats };
        proto.Floats.AddRange(values);
        return new(proto);
    }

    /// <summary>A list of strings (ONNX <c>STRINGS</c>), e.g. an LSTM's <c>activations</c>.</summary>
    public static OnnxAttribute Strings(string name, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var proto = new AttributeProto { Name = Checked(name), Type = AttributeProto.Types.AttributeType.Strings };
        proto.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return new(proto);
    }

    /// <summary>A (height, width) pair as a list of two integers, e.g. <c>kernel_shape</c> or <c>strides</c>.</summary>
    internal static OnnxAttribute Pair(string name, (int Height, int Width) value) => Ints(name, value.Height, value.Width);

    /// <summary>ONNX pads are [top, left, bottom, right]: begins of each axis, then ends; Backprop pads both sides alike.</summary>
    internal static OnnxAttribute Pads((int Height, int Width) padding) => Ints("pads", padding.Height, padding.Width, padding.Height, padding.Width);

    private static string Checked(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }
}
