// A character-level language model: Embedding → Lstm → Dense reads windows of the Gettysburg Address
// (public domain, see SOURCE.md) and learns to predict each next character (many-to-many cross-entropy over
// every step). It then writes new text one character at a time, feeding each sampled character back in with
// the carried state; the same seed always writes the same text.
using System.Diagnostics;
using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

const int Window = 40, Batch = 16, Dimension = 16, Hidden = 64, TrainingSteps = 250, Generated = 240;
const double LossBound = 1.0; // nats per character; a uniform guess over the ~40 symbols is ln 40 ≈ 3.7
int seed = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1;

string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gettysburg.txt")).ReplaceLineEndings("\n");
char[] vocabulary = [.. text.Distinct().Order()];
var indexOf = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
int[] encoded = [.. text.Select(c => indexOf[c])];

var embedding = new Embedding(vocabulary.Length, Dimension, seed: 1);
var lstm = new Lstm(Dimension, Hidden, seed: 2);
var head = new Dense(Hidden, vocabulary.Length, seed: 3);
var parameters = embedding.Parameters().Concat(lstm.Parameters()).Concat(head.Parameters()).ToList();
var sgd = new Sgd(parameters, learningRate: 1.0, momentum: 0.9);
var crossEntropy = new CrossEntropyLoss();
var random = new Random(seed);
var watch = Stopwatch.StartNew();
double recent = double.NaN;

for (int step = 1; step <= TrainingSteps; step++)
{
    // Batch windows start at random places; inputs are characters t, targets characters t + 1, time-major.
    var starts = Enumerable.Range(0, Batch).Select(_ => random.Next(encoded.Length - Window - 1)).ToArray();
    var inputs = new float[Window * Batch];
    var targets = new int[Window * Batch];
    for (int t = 0; t < Window; t++)
        for (int n = 0; n < Batch; n++)
        {
            inputs[t * Batch + n] = encoded[starts[n] + t];
            targets[t * Batch + n] = encoded[starts[n] + t + 1];
        }
    var vectors = embedding.Forward(Tensor.FromArray(inputs, Window, Batch));       // [T, N, Dimension]
    var outputs = lstm.Forward(vectors).Output.Reshape(-1, Hidden);                 // [T·N, Hidden]
    var loss = crossEntropy.Forward(head.Forward(outputs), targets);
    sgd.ZeroGrad();
    loss.Backward();
    ClipGlobalNorm(parameters, 1.0);
    sgd.Step();
    recent = double.IsNaN(recent) ? loss.Item() : 0.95 * recent + 0.05 * loss.Item();
    if (step % 50 == 0) Console.WriteLine($"step {step,4}  loss {recent:F3} nats/char");
}
Console.WriteLine($"\nTrained in {watch.Elapsed.TotalSeconds:F1} s; final smoothed loss {recent:F3} " +
    $"({(recent < LossBound ? "below" : "NOT below")} the bound {LossBound} nats/char).");

string first = Generate("Four score", seed);
Console.WriteLine($"\nGenerated with seed {seed}:\n{first}");
Console.WriteLine($"\nSame seed again gives the same text: {(Generate("Four score", seed) == first ? "yes" : "no")}");

// Feeds the prompt, then samples one character at a time from softmax(logits), carrying the LSTM state.
string Generate(string prompt, int generationSeed)
{
    var sampler = new Random(generationSeed);
    var written = new System.Text.StringBuilder(prompt);
    using var noGrad = Tensor.NoGrad();
    (Tensor Hidden, Tensor? Cell)? state = null;
    int[] next = [.. prompt.Select(c => indexOf[c])];
    for (int i = 0; i < Generated; i++)
    {
        var vectors = embedding.Forward(Tensor.FromArray(next.Select(c => (float)c).ToArray(), next.Length, 1));
        var result = lstm.Forward(vectors, state?.Hidden, state?.Cell);
        state = (result.Hidden, result.Cell);
        var probabilities = head.Forward(result.LastHidden).Softmax().ToDoubleArray();
        double draw = sampler.NextDouble(), cumulative = 0;
        int choice = probabilities.Length - 1;
        for (int k = 0; k < probabilities.Length; k++)
        {
            cumulative += probabilities[k];
            if (draw < cumulative) { choice = k; break; }
        }
        written.Append(vocabulary[choice]);
        next = [choice];
    }
    return written.ToString();
}

// Gradient clipping by global norm, inline: rescale all gradients together when their joint norm exceeds maxNorm.
static void ClipGlobalNorm(List<Tensor> parameters, double maxNorm)
{
    double norm = Math.Sqrt(parameters.Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)));
    if (norm <= maxNorm) return;
    foreach (var p in parameters) p.Grad = p.Grad!.MultiplyScalar(maxNorm / norm);
}
