using System.Numerics.Tensors;
using System.Numerics;
using Backprop.Ops;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>eˣ element-wise. Derivative: eˣ.</summary>
    public Tensor Exp() => Unary<ExpFunction>();

    /// <summary>The natural logarithm element-wise. Derivative: 1/x.</summary>
    public Tensor Log() => Unary<LogFunction>();

    /// <summary>xᵖ element-wise for a constant p. Derivative: p·xᵖ⁻¹.</summary>
    public Tensor Pow(double exponent) => Unary<PowFunction>(exponent);

    /// <summary>The logistic sigmoid σ(x) = 1/(1 + e⁻ˣ), stable for any x. Derivative: σ(x)(1 − σ(x)).</summary>
    public Tensor Sigmoid() => Unary<SigmoidFunction>();

    /// <summary>The hyperbolic tangent. Derivative: 1 − tanh²(x).</summary>
    public Tensor Tanh() => Unary<TanhFunction>();

    /// <summary>max(0, x). Derivative: 1 where x &gt; 0, else 0.</summary>
    public Tensor Relu() => Unary<ReluFunction>();

    /// <summary>x where x &gt; 0, else slope·x (PyTorch's default slope 0.01). Derivative: 1 or slope.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Unary<LeakyReluFunction>(negativeSlope);

    /// <summary>x where x &gt; 0, else α(eˣ − 1). Derivative: 1, or α·eˣ.</summary>
    public Tensor Elu(double alpha = 1.0) => Unary<EluFunction>(alpha);

    /// <summary>
    /// The Gaussian error linear unit x·Φ(x) = x·½(1 + erf(x/√2)), the exact form (PyTorch's default).
    /// Derivative: Φ(x) + x·φ(x).
    /// </summary>
    public Tensor Gelu() => Unary<GeluFunction>();

    /// <summary>
    /// The sigmoid-weighted linear unit x·σ(x) (SiLU, also called swish) element-wise.
    /// Derivative: σ(x)·(1 + x·(1 − σ(x))).
    /// </summary>
    public Tensor Silu() => Unary<SiluFunction>();

    /// <summary>√x element-wise. Derivative: 1/(2√x).</summary>
    public Tensor Sqrt() => Pow(0.5);

    /// <summary>|x| element-wise. Derivative: sign(x) (0 at 0).</summary>
    public Tensor Abs() => Unary<AbsFunction>();

    /// <summary>x limited to [min, max] element-wise. Derivative: 1 inside the range, 0 where clamped.</summary>
    public Tensor Clamp(double min, double max)
    {
        if (!(min <= max)) throw new ArgumentOutOfRangeException(nameof(max), max, $"Clamp: max must be ≥ min ({min}).");
        var result = Uninitialized(DType, Dims);
        if (DType == DType.Float32) TensorPrimitives.Clamp(Span<float>(), (float)min, (float)max, result.Span<float>());
        else TensorPrimitives.Clamp(Span<double>(), min, max, result.Span<double>());
        var input = this;
        return Record(result, "Clamp", [this], g =>
        {
            var gx = Uninitialized(input.DType, input.Dims);
            if (input.DType == DType.Float32) ClampBackward(input.Span<float>(), g.Span<float>(), (float)min, (float)max, gx.Span<float>());
            else ClampBackward(input.Span<double>(), g.Span<double>(), min, max, gx.Span<double>());
            input.AccumulateGradient(gx);
        });
    }

    /// <summary>The gradient passes where x lay inside [min, max] and stops where it was clamped.</summary>
    private static void ClampBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, T min, T max, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) gx[i] = x[i] < min || x[i] > max ? T.Zero : gy[i];
    }

    private readonly struct ExpFunction : IUnaryFunction
    {
        public static string Name => "Exp";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T> =>
            TensorPrimitives.Multiply(gy, y, gx);
    }

    private readonly struct AbsFunction : IUnaryFunction
    {
        public static string Name => "Abs";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) gx[i] = x[i] > T.Zero ? gy[i] : x[i] < T.Zero ? -gy[i] : T.Zero;
        }
    }

    private readonly struct LogFunction : IUnaryFunction
    {
        public static string Name => "Log";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T> =>
            TensorPrimitives.Divide(gy, x, gx);
    }

    private readonly struct PowFunction : IUnaryFunction
    {
        public static string Name => "Pow";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> =>
            TensorPrimitives.Pow(x, T.CreateChecked(p), y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TensorPrimitives.Pow(x, T.CreateChecked(p - 1), gx);
            TensorPrimitives.Multiply(gx, T.CreateChecked(p), gx);
            TensorPrimitives.Multiply(gx, gy, gx);
        }
    }

    private readonly struct SigmoidFunction : IUnaryFunction
    {
        public static string Name => "Sigmoid";

        // 1/(1 + e⁻ˣ) saturates to exactly 0 or 1 instead of overflowing: e¹⁰⁰⁰ = ∞ gives 1/∞ = 0.
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);

        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) gx[i] = gy[i] * y[i] * (T.One - y[i]);
        }
    }

    private readonly struct TanhFunction : IUnaryFunction
    {
        public static string Name => "Tanh";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) gx[i] = gy[i] * (T.One - y[i] * y[i]);
        }
    }

    private readonly struct ReluFunction : IUnaryFunction
    {
        public static string Name => "Relu";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T> =>
            Kernels.ReluKernels.Backward(x, gy, gx);
    }

    private readonly struct LeakyReluFunction : IUnaryFunction
    {
        public static string Name => "LeakyRelu";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T slope = T.CreateChecked(p);
            for (int i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : slope * x[i];
        }

        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T slope = T.CreateChecked(p);
            for (int i = 0; i < x.Length; i++) gx[i] = x[i] > T.Zero ? gy[i] : slope * gy[i];
        }
    }

    private readonly struct EluFunction : IUnaryFunction
    {
        public static string Name => "Elu";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T alpha = T.CreateChecked(p);
            for (int i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : alpha * (T.Exp(x[i]) - T.One);
        }

        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T alpha = T.CreateChecked(p);
            for (int i = 0; i < x.Length; i++) gx[i] = x[i] > T.Zero ? gy[i] : gy[i] * alpha * T.Exp(x[i]);
        }
    }

    private readonly struct SiluFunction : IUnaryFunction
    {
        public static string Name => "Silu";

        // y holds σ(x) while x is still read, so y must not be x (Unary gives a result of its own).
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TensorPrimitives.Sigmoid(x, y);
            TensorPrimitives.Multiply(y, x, y);
        }

        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            TensorPrimitives.Sigmoid(x, gx);
            for (int i = 0; i < x.Length; i++) gx[i] = gy[i] * gx[i] * (T.One + x[i] * (T.One - gx[i]));
        }
    }

    private readonly struct GeluFunction : IUnaryFunction
    {
        public static string Name => "Gelu";
        public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = double.CreateChecked(x[i]);
                y[i] = T.CreateChecked(v * NormalCdf(v));
            }
        }

        public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, double p) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = double.CreateChecked(x[i]);
                double density = Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI);
                gx[i] = gy[i] * T.CreateChecked(NormalCdf(v) + v * density);
            }
        }

        private static double NormalCdf(double v) => 0.5 * (1 + SpecialFunctions.Erf(v / Math.Sqrt(2)));
    }
}
