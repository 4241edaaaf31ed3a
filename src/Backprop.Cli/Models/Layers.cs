using Backprop.NN;

namespace Backprop.Cli.Models;

/// <summary>
/// How <c>backprop train</c> builds the layers both architectures share: the activation, the initialisation of the
/// weights that feed it, batch normalisation and dropout. <see cref="Mlp"/> and <see cref="Cnn"/> stack them.
/// </summary>
/// <param name="Activation">One of <see cref="Activations"/>' keys.</param>
/// <param name="Init">One of <see cref="Inits"/>: <c>auto</c>, <c>he</c>, <c>xavier</c> or <c>pytorch</c>.</param>
/// <param name="Dropout">Probability of dropping a feature before each Dense layer that takes learned features; 0 for none.</param>
/// <param name="BatchNorm">Whether each hidden Dense or Conv2d layer is followed by batch normalisation, before its activation.</param>
internal sealed record Layers(string Activation, string Init, double Dropout, bool BatchNorm)
{
    /// <summary>The activation names the tool accepts, with the modules they build.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Module>> Activations = new Dictionary<string, Func<Module>>
    {
        ["relu"] = () => new ReLU(),
        ["tanh"] = () => new Tanh(),
        ["sigmoid"] = () => new Sigmoid(),
        ["gelu"] = () => new GELU(),
        ["leakyrelu"] = () => new LeakyReLU(),
        ["elu"] = () => new ELU(),
    };

    /// <summary>
    /// The weight initialisations, <c>auto</c> first: He (Kaiming, gain √2) for the ReLU family, whose halved
    /// activations it compensates so deep stacks keep their signal; Xavier (Glorot); or PyTorch's default
    /// U(±1/√fan-in), which <c>auto</c> keeps for sigmoid and tanh.
    /// </summary>
    public static readonly IReadOnlyList<string> Inits = ["auto", "he", "xavier", "pytorch"];

    /// <summary>A hidden Dense layer: the layer, then batch normalisation when asked, then the activation.</summary>
    public IEnumerable<Module> Hidden(int inputs, int outputs)
    {
        // No bias before batch normalisation: the normalisation subtracts it again and adds its own shift.
        var dense = new Dense(inputs, outputs, bias: !BatchNorm);
        Initialise(dense.Weight);
        yield return dense;
        if (BatchNorm) yield return new BatchNorm1d(outputs);
        yield return Activations[Activation]();
    }

    /// <summary>A 3×3 convolution (padding 1, so the image keeps its size), batch normalisation when asked, the activation and a 2×2 max pool.</summary>
    public IEnumerable<Module> ConvolutionBlock(int inChannels, int outChannels)
    {
        var convolution = new Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1, bias: !BatchNorm);
        Initialise(convolution.Weight);
        yield return convolution;
        if (BatchNorm) yield return new BatchNorm2d(outChannels);
        yield return Activations[Activation]();
        yield return new MaxPool2d(2);
    }

    /// <summary>The dropout layer before a Dense layer that takes learned features, or nothing.</summary>
    public IEnumerable<Module> DropoutLayer() => Dropout > 0 ? [new Dropout(Dropout)] : [];

    /// <summary>The last layer, one output per class, initialised as PyTorch does: no activation follows it.</summary>
    public static Dense Output(int inputs, int classes) => new(inputs, classes);

    private void Initialise(Tensor weight)
    {
        string init = Init == "auto" ? (Activation is "sigmoid" or "tanh" ? "pytorch" : "he") : Init;
        if (init == "he") NN.Init.KaimingUniform(weight, Rng.Current);
        else if (init == "xavier") NN.Init.XavierUniform(weight, Rng.Current);
    }
}
