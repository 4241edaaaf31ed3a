// Lstm training throughput: tokens (sequence steps × batch) per second for one full training step
// (forward, backward through 50 steps, SGD update) at batch 32, sequence 50, input 32, hidden 128, float32.
// Prints every run and the median; pass the number of timed runs as the first argument (default 5).
using System.Diagnostics;
using Backprop;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

const int Batch = 32, Steps = 50, InputSize = 32, Hidden = 128;
int runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var lstm = new Lstm(InputSize, Hidden, seed: 1);
var head = new Dense(Hidden, 1, seed: 2);
var sgd = new Sgd(lstm.Parameters().Concat(head.Parameters()), learningRate: 0.01);
var inputs = Tensor.RandomNormal([Steps, Batch, InputSize], seed: 3);
var targets = Tensor.RandomNormal([Batch, 1], seed: 4);
var mse = new MseLoss();

void TrainingStep()
{
    var loss = mse.Forward(head.Forward(lstm.Forward(inputs).LastHidden), targets);
    sgd.ZeroGrad();
    loss.Backward();
    sgd.Step();
}

for (int warmUp = 0; warmUp < 3; warmUp++) TrainingStep(); // tiered JIT reaches optimised code only after a few steps
var tokensPerSecond = new List<double>();
for (int run = 0; run < runs; run++)
{
    var watch = Stopwatch.StartNew();
    TrainingStep();
    tokensPerSecond.Add(Batch * Steps / watch.Elapsed.TotalSeconds);
    Console.WriteLine($"run {run + 1}: {tokensPerSecond[^1]:F0} tokens/s ({watch.Elapsed.TotalMilliseconds:F0} ms per step)");
}
tokensPerSecond.Sort();
Console.WriteLine($"median: {tokensPerSecond[runs / 2]:F0} tokens/s (Lstm {InputSize}→{Hidden}, batch {Batch}, sequence {Steps}, float32, {Environment.ProcessorCount} cores)");
