// Many-to-many: an LSTM reads a noisy sine wave and predicts, at every step, the next value. The wave is
// long, so it is learned by truncated backpropagation through time: chunks of 25 steps, each starting
// from the previous chunk's state with the graph cut (DetachState), so every Backward() spans 25 steps.
using System.Diagnostics;
using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

const int Streams = 16, Length = 400, Chunk = 25, Hidden = 16, Epochs = 30;
const double Noise = 0.1, Period = 30;
var random = new Random(1);
// Each stream is the same wave from a different phase: [Length + 1, Streams, 1], time-major.
var (series, clean) = Waves(random, Length + 1);
var inputs = series.Narrow(0, 0, Length);
var targets = series.Narrow(0, 1, Length);

var lstm = new Lstm(inputSize: 1, hiddenSize: Hidden, seed: 1);
var head = new Dense(Hidden, 1, seed: 2);
var parameters = lstm.Parameters().Concat(head.Parameters()).ToList();
var sgd = new Sgd(parameters, learningRate: 0.05, momentum: 0.9);
var mse = new MseLoss();
var watch = Stopwatch.StartNew();

for (int epoch = 1; epoch <= Epochs; epoch++)
{
    (Tensor Hidden, Tensor? Cell)? state = null;
    double total = 0;
    int chunks = 0;
    foreach (var (chunkInputs, chunkTargets) in TruncatedBptt.Chunks(inputs, targets, Chunk))
    {
        var result = lstm.ForwardWithState(chunkInputs, state?.Hidden, state?.Cell);
        // Output [T, N, H] viewed as T·N rows: one prediction per step of every stream.
        var predictions = head.Forward(result.Output.Reshape(-1, Hidden));
        var loss = mse.Forward(predictions, chunkTargets.Reshape(-1, 1));
        sgd.ZeroGrad();
        loss.Backward();
        ClipGlobalNorm(parameters, 1.0);
        sgd.Step();
        state = result.DetachState();
        total += loss.Item();
        chunks++;
    }
    if (epoch % 6 == 0) Console.WriteLine($"epoch {epoch,2}  mean squared error {total / chunks:F4}");
}

// Fresh waves: the model's one-step predictions against the noisy next value and against the clean wave.
var (testSeries, testClean) = Waves(new Random(2), Length + 1);
Tensor testPredictions;
using (Tensor.NoGrad())
    testPredictions = head.Forward(lstm.Forward(testSeries.Narrow(0, 0, Length)).Reshape(-1, Hidden)).Reshape(Length, Streams);
var next = testSeries.Narrow(0, 1, Length).Reshape(Length, Streams);
var nextClean = testClean.Narrow(0, 1, Length).Reshape(Length, Streams);
var previous = testSeries.Narrow(0, 0, Length).Reshape(Length, Streams);
double Mse(Tensor a, Tensor b) => (a - b).Pow(2).Mean().Item();
Console.WriteLine($"\nTrained in {watch.Elapsed.TotalSeconds:F1} s. On fresh waves (noise σ = {Noise}, so σ² = {Noise * Noise:F3} is the floor):");
Console.WriteLine($"  LSTM prediction vs next noisy value:   MSE {Mse(testPredictions, next):F4}");
Console.WriteLine($"  LSTM prediction vs next clean value:   MSE {Mse(testPredictions, nextClean):F4}");
Console.WriteLine($"  'same as now' baseline vs next value:  MSE {Mse(previous, next):F4}");
Console.WriteLine("\n  step   input   predicted   clean next");
for (int t = Length - 10; t < Length; t++)
    Console.WriteLine($"  {t,4}  {previous[t, 0],6:F3}   {testPredictions[t, 0],8:F3}   {nextClean[t, 0],9:F3}");

// Noisy and clean sine waves [steps, Streams, 1], one random phase per stream.
static (Tensor Noisy, Tensor Clean) Waves(Random random, int steps)
{
    var noisy = new float[steps * Streams];
    var clean = new float[steps * Streams];
    var phases = Enumerable.Range(0, Streams).Select(_ => random.NextDouble() * 2 * Math.PI).ToArray();
    for (int t = 0; t < steps; t++)
        for (int n = 0; n < Streams; n++)
        {
            double value = Math.Sin(2 * Math.PI * t / Period + phases[n]);
            clean[t * Streams + n] = (float)value;
            // Box–Muller: one standard normal draw from two uniforms.
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            noisy[t * Streams + n] = (float)(value + Noise * gaussian);
        }
    return (Tensor.FromArray(noisy, steps, Streams, 1), Tensor.FromArray(clean, steps, Streams, 1));
}

// Gradient clipping by global norm, inline: rescale all gradients together when their joint norm exceeds maxNorm.
static void ClipGlobalNorm(List<Tensor> parameters, double maxNorm)
{
    double norm = Math.Sqrt(parameters.Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)));
    if (norm <= maxNorm) return;
    foreach (var p in parameters) p.Grad = p.Grad!.MultiplyScalar(maxNorm / norm);
}
