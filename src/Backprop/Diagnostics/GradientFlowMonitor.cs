using Backprop.NN;

namespace Backprop.Diagnostics;

/// <summary>One layer's line of a <see cref="GradientFlowReport"/>: epoch means over the optimiser steps.</summary>
/// <param name="Layer">The layer's parameter prefix and description, e.g. <c>0 Dense(784, 128)</c>.</param>
/// <param name="WeightNorm">‖w‖₂ of the layer's parameters at the end of the epoch.</param>
/// <param name="GradientNorm">Mean over steps of ‖∂L/∂w‖₂.</param>
/// <param name="RelativeUpdate">Mean over steps of ‖Δw‖₂ / ‖w‖₂.</param>
/// <param name="MaxRelativeUpdate">Largest ‖Δw‖₂ / ‖w‖₂ of any step in the epoch.</param>
public sealed record LayerGradientFlow(string Layer, double WeightNorm, double GradientNorm, double RelativeUpdate, double MaxRelativeUpdate);

/// <summary>Per-layer gradient statistics of one epoch and the warnings they raise.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Layers">One line per layer with parameters, input side first.</param>
/// <param name="Warnings">Vanishing or exploding gradients, each naming the layer.</param>
public sealed record GradientFlowReport(int Epoch, IReadOnlyList<LayerGradientFlow> Layers, IReadOnlyList<string> Warnings);

/// <summary>
/// Watches the flow of gradients through a model, layer by layer, to show the troubles the texts warn of:
/// gradients that vanish on the way back through many saturating layers, or explode. Call
/// <see cref="RecordStep"/> after every optimiser step and <see cref="EndEpoch"/> after every epoch.
/// A layer's gradients are reported as vanishing when even its largest update of the epoch moved its
/// weights by less than <see cref="VanishingThreshold"/> of their norm, and as exploding when they are not
/// finite or their mean norm grew tenfold over the previous epoch.
/// </summary>
public sealed class GradientFlowMonitor
{
    /// <summary>Relative update below which a whole epoch counts as vanishing.</summary>
    public const double VanishingThreshold = 1e-7;

    private readonly List<LayerState> _layers;

    /// <summary>Starts watching <paramref name="model"/>'s parameters, grouped by layer.</summary>
    public GradientFlowMonitor(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var descriptions = new Dictionary<string, string>();
        Describe(model, "", descriptions);
        _layers = model.NamedParameters()
            .GroupBy(p => p.Name.Contains('.') ? p.Name[..p.Name.LastIndexOf('.')] : "")
            .Select(g => new LayerState(
                string.IsNullOrEmpty(g.Key) ? model.ToString()! : $"{g.Key} {descriptions.GetValueOrDefault(g.Key, "")}".TrimEnd(),
                g.Select(p => p.Parameter).ToArray()))
            .ToList();
    }

    /// <summary>Records gradient norms and the update each layer just received.</summary>
    public void RecordStep()
    {
        foreach (var layer in _layers) layer.RecordStep();
    }

    /// <summary>Closes the epoch: the per-layer means and any warnings; statistics restart for the next epoch.</summary>
    public GradientFlowReport EndEpoch(int epoch)
    {
        var rows = new List<LayerGradientFlow>();
        var warnings = new List<string>();
        foreach (var layer in _layers)
        {
            var row = layer.Summarise();
            rows.Add(row);
            if (layer.SawNonFinite)
                warnings.Add($"layer {row.Layer}: gradients explode (non-finite values this epoch)");
            else if (layer.Steps > 0 && row.MaxRelativeUpdate < VanishingThreshold)
                warnings.Add($"layer {row.Layer}: gradients vanish (largest update {row.MaxRelativeUpdate:E1} of the weights, below {VanishingThreshold:E0})");
            else if (layer.PreviousGradientNorm > 0 && row.GradientNorm >= 10 * layer.PreviousGradientNorm)
                warnings.Add($"layer {row.Layer}: gradients explode (norm grew {row.GradientNorm / layer.PreviousGradientNorm:F1}× since the last epoch)");
            layer.StartEpoch(row.GradientNorm);
        }
        return new GradientFlowReport(epoch, rows, warnings);
    }

    private static void Describe(Module module, string prefix, Dictionary<string, string> descriptions)
    {
        foreach (var (name, child) in module.NamedChildren())
        {
            string path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            descriptions[path] = child.ToString()!;
            Describe(child, path, descriptions);
        }
    }

    private sealed class LayerState
    {
        private readonly Tensor[] _parameters;
        private double[][] _previous;
        private double _gradientNormSum, _relativeUpdateSum, _maxRelativeUpdate;

        public LayerState(string name, Tensor[] parameters)
        {
            Name = name;
            _parameters = parameters;
            _previous = parameters.Select(p => p.ToDoubleArray()).ToArray();
        }

        public string Name { get; }

        public int Steps { get; private set; }

        public bool SawNonFinite { get; private set; }

        public double PreviousGradientNorm { get; private set; }

        public void RecordStep()
        {
            double gradientSquares = 0, weightSquares = 0, updateSquares = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                var current = _parameters[i].ToDoubleArray();
                var gradient = _parameters[i].Grad?.ToDoubleArray() ?? [];
                foreach (double g in gradient) gradientSquares += g * g;
                for (int j = 0; j < current.Length; j++)
                {
                    weightSquares += current[j] * current[j];
                    double delta = current[j] - _previous[i][j];
                    updateSquares += delta * delta;
                }
                _previous[i] = current;
            }
            if (!double.IsFinite(gradientSquares) || !double.IsFinite(weightSquares)) SawNonFinite = true;
            double relative = weightSquares > 0 ? Math.Sqrt(updateSquares / weightSquares) : 0;
            _gradientNormSum += Math.Sqrt(gradientSquares);
            _relativeUpdateSum += relative;
            _maxRelativeUpdate = Math.Max(_maxRelativeUpdate, relative);
            Steps++;
        }

        public LayerGradientFlow Summarise()
        {
            double weightNorm = Math.Sqrt(_previous.Sum(values => values.Sum(v => v * v)));
            int steps = Math.Max(Steps, 1);
            return new LayerGradientFlow(Name, weightNorm, _gradientNormSum / steps, _relativeUpdateSum / steps, _maxRelativeUpdate);
        }

        public void StartEpoch(double gradientNorm)
        {
            PreviousGradientNorm = gradientNorm;
            _gradientNormSum = _relativeUpdateSum = _maxRelativeUpdate = 0;
            Steps = 0;
            SawNonFinite = false;
        }
    }
}
