// Many-to-one: a GRU reads a bit string of 1 to 12 bits and says whether it holds an odd number of ones.
// Strings of different lengths share a padded batch; `lengths` makes the padding invisible, and the
// classifier reads each string's final hidden state (its state after its own last bit).
using System.Diagnostics;
using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

const int MaxLength = 12, Hidden = 24, Batch = 64, TrainingSteps = 600;
var random = new Random(1);
var gru = new Gru(inputSize: 2, hiddenSize: Hidden, seed: 1);
var head = new Dense(Hidden, 2, seed: 2);
var parameters = gru.Parameters().Concat(head.Parameters()).ToList();
var sgd = new Sgd(parameters, learningRate: 0.1, momentum: 0.9);
var loss = new CrossEntropyLoss();
var watch = Stopwatch.StartNew();

for (int step = 1; step <= TrainingSteps; step++)
{
    // A curriculum: the longest string grows from 3 bits to MaxLength over the first two thirds of training.
    int longest = Math.Min(MaxLength, 3 + step * (MaxLength - 3) / (TrainingSteps * 2 / 3));
    var (inputs, lengths, labels) = Strings(random, Batch, longest);
    var value = loss.Forward(head.Forward(gru.ForwardWithState(inputs, lengths: lengths).LastHidden), labels);
    sgd.ZeroGrad();
    value.Backward();
    ClipGlobalNorm(parameters, 1.0);
    sgd.Step();
    if (step % 100 == 0) Console.WriteLine($"step {step,5}  strings up to {longest,2} bits  loss {value.Item():F4}");
}

var (testInputs, testLengths, testLabels) = Strings(new Random(7), 2000, MaxLength);
int[] predicted;
using (Tensor.NoGrad())
{
    var logits = head.Forward(gru.ForwardWithState(testInputs, lengths: testLengths).LastHidden);
    predicted = [.. Enumerable.Range(0, testLabels.Length).Select(i => logits[i, 1] > logits[i, 0] ? 1 : 0)];
}
Console.WriteLine($"\nTrained in {watch.Elapsed.TotalSeconds:F1} s. Accuracy on 2000 fresh strings, by length:");
for (int length = 1; length <= MaxLength; length++)
{
    var ofLength = Enumerable.Range(0, testLabels.Length).Where(i => testLengths[i] == length).ToList();
    double accuracy = ofLength.Count(i => predicted[i] == testLabels[i]) / (double)ofLength.Count;
    Console.WriteLine($"  {length,2} bits: {accuracy:P1}");
}
Console.WriteLine($"  all    : {Enumerable.Range(0, testLabels.Length).Count(i => predicted[i] == testLabels[i]) / (double)testLabels.Length:P1}");
Console.WriteLine("\nExamples (string → predicted parity):");
for (int i = 0; i < 6; i++)
{
    var bits = string.Concat(Enumerable.Range(0, testLengths[i]).Select(t => testInputs[t, i, 1] == 1 ? '1' : '0'));
    Console.WriteLine($"  {bits,-12} → {(predicted[i] == 1 ? "odd" : "even")} ({(predicted[i] == testLabels[i] ? "right" : "wrong")})");
}

// [MaxLength, batch, 2] one-hot bits (padding past each length is random junk, which lengths hide), the
// lengths (1..longest), and the parity labels.
static (Tensor Inputs, int[] Lengths, int[] Labels) Strings(Random random, int batch, int longest)
{
    var values = new float[MaxLength * batch * 2];
    var lengths = new int[batch];
    var labels = new int[batch];
    for (int n = 0; n < batch; n++)
    {
        lengths[n] = random.Next(1, longest + 1);
        for (int t = 0; t < MaxLength; t++)
        {
            int bit = random.Next(2);
            values[(t * batch + n) * 2 + bit] = 1;
            if (t < lengths[n]) labels[n] ^= bit;
        }
    }
    return (Tensor.FromArray(values, MaxLength, batch, 2), lengths, labels);
}

// Gradient clipping by global norm, inline: rescale all gradients together when their joint norm exceeds maxNorm.
static void ClipGlobalNorm(List<Tensor> parameters, double maxNorm)
{
    double norm = Math.Sqrt(parameters.Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)));
    if (norm <= maxNorm) return;
    foreach (var p in parameters) p.Grad = p.Grad!.MultiplyScalar(maxNorm / norm);
}
