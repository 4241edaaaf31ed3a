using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Backprop;

Rng.ManualSeed(1);
var inputs = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
var xor = new Dataset(inputs, [0, 1, 1, 0]);

var model = new Sequential(new Dense(2, 4), new Tanh(), new Dense(4, 2));
var history = model.Fit(xor, new FitOptions
{
    Epochs = 2000,
    BatchSize = 4,
    Loss = new CrossEntropyLoss(),
    Optimizer = new Sgd(model.Parameters(), learningRate: 0.5, momentum: 0.9),
    StopWhen = Stop.AllCorrect,
});

Console.WriteLine($"Stopped after {history.Epochs.Count} epochs: {history.StopReason}");
var predicted = ModuleTraining.PredictedClasses(model.Predict(inputs));
for (int i = 0; i < 4; i++)
    Console.WriteLine($"{inputs[i, 0]} xor {inputs[i, 1]} = {predicted[i]}");
