using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Cli.Explain;

/// <summary>
/// Builds a <see cref="WorkedNetwork"/> from float64 Dense and Sigmoid modules, runs it layer by layer keeping
/// every net and out tensor (with <see cref="Tensor.RetainGrad"/>, so Backward leaves ∂E/∂net and ∂E/∂out on
/// them), and reads the trace off those tensors and the parameters' gradients.
/// </summary>
internal sealed class ExplainRecorder
{
    private readonly WorkedNetwork _network;
    private readonly double _learningRate;
    private readonly bool _trainBiases;
    private readonly Dense[] _layers;
    private readonly Sigmoid _sigmoid = new();
    private readonly Tensor _input;
    private readonly Tensor _target;
    private readonly Loss _loss;

    public ExplainRecorder(WorkedNetwork network, double learningRate, bool trainBiases)
    {
        _network = network;
        _learningRate = learningRate;
        _trainBiases = trainBiases;
        _input = Tensor.FromArray(network.Inputs.ToArray(), 1, network.Inputs.Count);
        _target = Tensor.FromArray(network.Targets.ToArray(), 1, network.Targets.Count);
        _loss = network.Loss == WorkedLoss.HalfSquaredError ? new SquaredErrorLoss() : new MseLoss();
        _layers = new Dense[network.Layers.Count];
        int inputs = network.Inputs.Count;
        for (int l = 0; l < _layers.Length; l++)
        {
            var neurons = network.Layers[l];
            // A fixed seed only so that building the layer leaves the thread's Rng alone; every value is overwritten.
            var layer = new Dense(inputs, neurons.Count, seed: 0);
            layer.To(DType.Float64);
            layer.Weight.CopyFrom(Tensor.FromArray(neurons.SelectMany(n => n.Weights).ToArray(), neurons.Count, inputs));
            layer.Bias!.CopyFrom(Tensor.FromArray(neurons.Select(n => n.Bias).ToArray(), neurons.Count));
            _layers[l] = layer;
            inputs = neurons.Count;
        }
    }

    private string LossFormula => _network.Loss == WorkedLoss.HalfSquaredError
        ? "E = Σ ½(t − o)²"
        : _network.Targets.Count == 1 ? "E = (o − t)²" : "E = mean (o − t)²";

    public ExplainTrace Record(int steps)
    {
        var optimizer = new Sgd(_layers.SelectMany(TrainedParameters).ToArray(), _learningRate);
        var passes = Forward(retainGradients: true);
        var error = _loss.Forward(passes[^1].Out, _target);
        error.Backward();

        var neurons = Neurons(passes);
        var errors = OutputErrors(passes[^1].Out);
        var traced = ParametersBeforeStep(passes);
        optimizer.Step();
        var parameters = traced.Select(p => p.Trace with { Updated = p.Tensor[p.Index] }).ToArray();

        return new ExplainTrace(_network.Name, _network.Title, LossFormula, _learningRate, _trainBiases,
            _network.InputNames.Zip(_network.Inputs, (name, value) => new NamedValue(name, value)).ToArray(),
            neurons, errors, error.Item(), parameters, steps > 0 ? Train(optimizer, steps) : null, _network.Note);
    }

    private IEnumerable<Tensor> TrainedParameters(Dense layer) => _trainBiases ? [layer.Weight, layer.Bias!] : [layer.Weight];

    /// <summary>The net and out tensors of each layer, with the tensor that fed it.</summary>
    private sealed record LayerPass(Tensor Input, Tensor Net, Tensor Out);

    private LayerPass[] Forward(bool retainGradients)
    {
        var passes = new LayerPass[_layers.Length];
        var activation = _input;
        for (int l = 0; l < _layers.Length; l++)
        {
            var net = _layers[l].Forward(activation);
            var output = _sigmoid.Forward(net);
            if (retainGradients)
            {
                net.RetainGrad();
                output.RetainGrad();
            }
            passes[l] = new LayerPass(activation, net, output);
            activation = output;
        }
        return passes;
    }

    private NeuronTrace[] Neurons(LayerPass[] passes)
    {
        var neurons = new List<NeuronTrace>();
        for (int l = 0; l < passes.Length; l++)
        {
            for (int j = 0; j < _network.Layers[l].Count; j++)
            {
                var paths = new List<ErrorPath>();
                if (l + 1 < passes.Length)
                {
                    var next = _network.Layers[l + 1];
                    for (int m = 0; m < next.Count; m++)
                    {
                        double deltaNext = passes[l + 1].Net.Grad![0, m], weight = _layers[l + 1].Weight[m, j];
                        paths.Add(new ErrorPath(next[m].Name, deltaNext, next[m].WeightNames[j], weight, deltaNext * weight));
                    }
                }
                var neuron = _network.Layers[l][j];
                neurons.Add(new NeuronTrace(neuron.Name, l, neuron.BiasName, _layers[l].Bias![j], passes[l].Net[0, j], passes[l].Out[0, j],
                    passes[l].Out.Grad![0, j], SigmoidSlope(passes[l], j), passes[l].Net.Grad![0, j], paths));
            }
        }
        return [.. neurons];
    }

    /// <summary>
    /// ∂out/∂net = σ'(net) = out(1 − out), from the recorded output value. Reading it as net.Grad / out.Grad would
    /// give the same number but divides by zero whenever an output already equals its target (∂E/∂out = 0);
    /// the tests check that ∂E/∂out · this equals the ∂E/∂net autograd computed.
    /// </summary>
    private static double SigmoidSlope(LayerPass pass, int neuron)
    {
        double output = pass.Out[0, neuron];
        return output * (1 - output);
    }

    private OutputError[] OutputErrors(Tensor output)
    {
        using var noGrad = Tensor.NoGrad();
        var errors = new OutputError[_network.Targets.Count];
        for (int k = 0; k < errors.Length; k++)
        {
            // The example's loss applied to this output alone: its share of E (for a mean, before dividing by the count).
            double share = _loss.Forward(output.Narrow(1, k, 1), _target.Narrow(1, k, 1)).Item();
            errors[k] = new OutputError(_network.Layers[^1][k].Name, _network.Targets[k], output[0, k], share);
        }
        return errors;
    }

    /// <summary>A parameter's trace with the tensor element it describes, to read its value after the step.</summary>
    private sealed record TracedParameter(ParameterTrace Trace, Tensor Tensor, int[] Index);

    /// <summary>Every trained parameter with its factors and autograd's gradient: the weights, then the biases.</summary>
    private List<TracedParameter> ParametersBeforeStep(LayerPass[] passes)
    {
        var weights = new List<TracedParameter>();
        var biases = new List<TracedParameter>();
        for (int l = 0; l < _layers.Length; l++)
        {
            var (pass, layer) = (passes[l], _layers[l]);
            var sources = l == 0 ? _network.InputNames : _network.Layers[l - 1].Select(n => n.Name).ToArray();
            for (int j = 0; j < _network.Layers[l].Count; j++)
            {
                var neuron = _network.Layers[l][j];
                double dErrorDOut = pass.Out.Grad![0, j], dOutDNet = SigmoidSlope(pass, j);
                for (int k = 0; k < sources.Count; k++)
                    weights.Add(new(new ParameterTrace(neuron.WeightNames[k], sources[k], neuron.Name, layer.Weight[j, k],
                        dErrorDOut, dOutDNet, pass.Input[0, k], layer.Weight.Grad![j, k], double.NaN), layer.Weight, [j, k]));
                if (_trainBiases)
                    biases.Add(new(new ParameterTrace(neuron.BiasName, "1", neuron.Name, layer.Bias![j],
                        dErrorDOut, dOutDNet, 1, layer.Bias.Grad![j], double.NaN), layer.Bias, [j]));
            }
        }
        return [.. weights, .. biases];
    }

    /// <summary>Continues true gradient descent until <paramref name="steps"/> updates are made in all, then measures.</summary>
    private TrainingResult Train(Optimizer optimizer, int steps)
    {
        for (int step = 1; step < steps; step++)
        {
            optimizer.ZeroGrad();
            _loss.Forward(Forward(retainGradients: false)[^1].Out, _target).Backward();
            optimizer.Step();
        }
        using var noGrad = Tensor.NoGrad();
        var output = Forward(retainGradients: false)[^1].Out;
        return new TrainingResult(steps, _loss.Forward(output, _target).Item(), OutputErrors(output));
    }
}
