using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

/// <summary>
/// A character-level language model: Embedding → Lstm → Dense reads windows of a text and learns to predict
/// each next character (many-to-many cross-entropy over every step), then writes new text one character at a
/// time, feeding each sampled character back in with the carried LSTM state.
/// </summary>
public sealed class CharModel
{
    private const int Window = 40, Batch = 16, Dimension = 16, Hidden = 64;

    private readonly char[] _vocabulary;
    private readonly Dictionary<char, int> _indexOf;
    private readonly int[] _encoded;
    private readonly Embedding _embedding;
    private readonly Lstm _lstm;
    private readonly Dense _head;
    private readonly List<Tensor> _parameters;

    /// <summary>Builds the vocabulary of <paramref name="text"/> and a fresh network with fixed initial weights.</summary>
    public CharModel(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (text.Length <= Window + 1) throw new ArgumentException($"CharModel: the text needs more than {Window + 1} characters, got {text.Length}.", nameof(text));
        _vocabulary = [.. text.Distinct().Order()];
        _indexOf = _vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        _encoded = [.. text.Select(c => _indexOf[c])];
        _embedding = new Embedding(_vocabulary.Length, Dimension, seed: 1);
        _lstm = new Lstm(Dimension, Hidden, seed: 2);
        _head = new Dense(Hidden, _vocabulary.Length, seed: 3);
        _parameters = [.. _embedding.Parameters(), .. _lstm.Parameters(), .. _head.Parameters()];
    }

    /// <summary>Number of distinct characters; a uniform guess costs ln of this many nats per character.</summary>
    public int VocabularySize => _vocabulary.Length;

    /// <summary>
    /// Trains on random windows for <paramref name="steps"/> SGD steps (momentum 0.9, gradient norm clipped to 1)
    /// and returns the exponentially smoothed loss in nats per character; <paramref name="seed"/> picks the windows.
    /// </summary>
    public double Train(int steps, int seed, Action<int, double>? onStep = null)
    {
        var sgd = new Sgd(_parameters, learningRate: 1.0, momentum: 0.9);
        var crossEntropy = new CrossEntropyLoss();
        var random = new Random(seed);
        double smoothed = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            // Windows start at random places; inputs are characters t, targets characters t + 1, time-major.
            var starts = Enumerable.Range(0, Batch).Select(_ => random.Next(_encoded.Length - Window - 1)).ToArray();
            var inputs = new float[Window * Batch];
            var targets = new int[Window * Batch];
            for (int t = 0; t < Window; t++)
                for (int n = 0; n < Batch; n++)
                {
                    inputs[t * Batch + n] = _encoded[starts[n] + t];
                    targets[t * Batch + n] = _encoded[starts[n] + t + 1];
                }
            var vectors = _embedding.Forward(Tensor.FromArray(inputs, Window, Batch));     // [T, N, Dimension]
            var outputs = _lstm.ForwardWithState(vectors).Output.Reshape(-1, Hidden);              // [T·N, Hidden]
            var loss = crossEntropy.Forward(_head.Forward(outputs), targets);
            sgd.ZeroGrad();
            loss.Backward();
            GradientClipping.ClipGradNorm(_parameters, maxNorm: 1.0);
            sgd.Step();
            smoothed = double.IsNaN(smoothed) ? loss.Item() : 0.95 * smoothed + 0.05 * loss.Item();
            onStep?.Invoke(step, smoothed);
        }
        return smoothed;
    }

    /// <summary>Feeds <paramref name="prompt"/>, then samples <paramref name="length"/> characters from softmax(logits); the same seed writes the same text.</summary>
    public string Generate(string prompt, int length, int seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(prompt);
        var unknown = prompt.FirstOrDefault(c => !_indexOf.ContainsKey(c));
        if (unknown != default) throw new ArgumentException($"CharModel: the prompt's character '{unknown}' is not in the training text.", nameof(prompt));
        var sampler = new Random(seed);
        var written = new System.Text.StringBuilder(prompt);
        using var noGrad = Tensor.NoGrad();
        (Tensor Hidden, Tensor? Cell)? state = null;
        int[] next = [.. prompt.Select(c => _indexOf[c])];
        for (int i = 0; i < length; i++)
        {
            var vectors = _embedding.Forward(Tensor.FromArray(next.Select(c => (float)c).ToArray(), next.Length, 1));
            var result = _lstm.ForwardWithState(vectors, state?.Hidden, state?.Cell);
            state = (result.Hidden, result.Cell);
            var probabilities = _head.Forward(result.LastHidden).Softmax().ToDoubleArray();
            double draw = sampler.NextDouble(), cumulative = 0;
            int choice = probabilities.Length - 1;
            for (int k = 0; k < probabilities.Length; k++)
            {
                cumulative += probabilities[k];
                if (draw < cumulative) { choice = k; break; }
            }
            written.Append(_vocabulary[choice]);
            next = [choice];
        }
        return written.ToString();
    }
}
