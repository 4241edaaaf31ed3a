namespace Backprop.Cli.Explain;

/// <summary>
/// One neuron in the forward and backward pass: net = Σ w·in + b, out = σ(net), and the derivatives
/// backpropagation found for it.
/// </summary>
/// <param name="Name">The neuron's name in the example.</param>
/// <param name="Layer">0 for the first hidden layer; the last layer holds the outputs.</param>
/// <param name="BiasName">The name of the bias added to the net input.</param>
/// <param name="Bias">The bias's value during the forward pass.</param>
/// <param name="Net">The net input Σ w·in + b.</param>
/// <param name="Out">The output σ(net).</param>
/// <param name="DErrorDOut">∂E/∂out, the gradient autograd left on the output tensor.</param>
/// <param name="DOutDNet">∂out/∂net = out(1 − out), the sigmoid's slope.</param>
/// <param name="DErrorDNet">∂E/∂net (the neuron's δ), the gradient autograd left on the net-input tensor.</param>
/// <param name="ErrorPaths">
/// For a hidden neuron, how ∂E/∂out is made of the neurons it feeds: ∂E/∂out = Σ ∂E/∂net_next · w; empty for an output.
/// </param>
internal sealed record NeuronTrace(string Name, int Layer, string BiasName, double Bias, double Net, double Out, double DErrorDOut, double DOutDNet,
    double DErrorDNet, IReadOnlyList<ErrorPath> ErrorPaths);

/// <summary>One term of a hidden neuron's ∂E/∂out: the error reaching it through one weight.</summary>
/// <param name="Through">The neuron of the next layer the path goes through.</param>
/// <param name="DErrorDNet">That neuron's ∂E/∂net.</param>
/// <param name="WeightName">The weight joining the two.</param>
/// <param name="Weight">Its value during the forward pass (∂net_next/∂out).</param>
/// <param name="Term">∂E/∂net_next · w.</param>
internal sealed record ErrorPath(string Through, double DErrorDNet, string WeightName, double Weight, double Term);

/// <summary>One output's share of the error.</summary>
/// <param name="Name">The output neuron.</param>
/// <param name="Target">The desired value t.</param>
/// <param name="Out">The network's output o.</param>
/// <param name="Error">The loss of this output alone: ½(t − o)², or (o − t)² for mean squared error.</param>
internal sealed record OutputError(string Name, double Target, double Out, double Error);

/// <summary>
/// One weight or bias and its gradient as a chain of factors:
/// ∂E/∂w = ∂E/∂out · ∂out/∂net · ∂net/∂w, then the update w ← w − η·∂E/∂w.
/// </summary>
/// <param name="Name">The parameter's name in the example, e.g. <c>w5</c> or <c>b1</c>.</param>
/// <param name="From">What it multiplies: an input or neuron name, or <c>1</c> for a bias.</param>
/// <param name="To">The neuron whose net input it feeds.</param>
/// <param name="Value">Its value during the forward pass.</param>
/// <param name="DErrorDOut">∂E/∂out of the neuron it feeds.</param>
/// <param name="DOutDNet">∂out/∂net of that neuron.</param>
/// <param name="DNetDParameter">∂net/∂w: the value feeding the weight (1 for a bias).</param>
/// <param name="Gradient">∂E/∂w as autograd accumulated it on the parameter; equals the product of the factors.</param>
/// <param name="Updated">The value after the optimiser's step.</param>
internal sealed record ParameterTrace(string Name, string From, string To, double Value, double DErrorDOut, double DOutDNet,
    double DNetDParameter, double Gradient, double Updated);

/// <summary>The state after further training.</summary>
/// <param name="Steps">Updates made in all, the explained one included.</param>
/// <param name="TotalError">E with the weights after those updates.</param>
/// <param name="Outputs">The outputs with those weights.</param>
internal sealed record TrainingResult(int Steps, double TotalError, IReadOnlyList<OutputError> Outputs);

/// <summary>A named number, e.g. an input of the example.</summary>
/// <param name="Name">The name in the example.</param>
/// <param name="Value">The value.</param>
internal sealed record NamedValue(string Name, double Value);
