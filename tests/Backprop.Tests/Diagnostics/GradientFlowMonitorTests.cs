using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Diagnostics;

public class GradientFlowMonitorTests
{
    private static GradientFlowReport TrainOneEpoch(Sequential model)
    {
        var data = Training.FitTests.Blobs(256, seed: 7);
        var monitor = new GradientFlowMonitor(model);
        GradientFlowReport? report = null;
        model.Fit(data, new FitOptions
        {
            Epochs = 1, BatchSize = 32, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.01),
            OnStep = monitor.RecordStep, OnEpochEnd = e => report = monitor.EndEpoch(e.Epoch),
        });
        return report!;
    }

    private static Sequential Deep(Func<Module> activation, Action<Dense>? initialise = null)
    {
        var model = new Sequential(new Dense(2, 32, seed: 0));
        for (int i = 1; i <= 10; i++)
        {
            model.Add(activation());
            var dense = new Dense(32, i == 10 ? 3 : 32, seed: i);
            initialise?.Invoke(dense);
            model.Add(dense);
        }
        return model;
    }

    [Fact]
    public void DeepSigmoidNetwork_ShowsVanishingGradients_NearTheInput()
    {
        var report = TrainOneEpoch(Deep(() => new Sigmoid()));
        Assert.Contains(report.Warnings, w => w.StartsWith("layer 0 Dense(2, 32): gradients vanish"));
        Assert.True(report.Layers[0].GradientNorm < 1e-4 * report.Layers[^1].GradientNorm);
    }

    [Fact]
    public void SameDepthWithReluAndHeInitialisation_DoesNotVanish()
    {
        var report = TrainOneEpoch(Deep(() => new ReLU(), dense => Init.KaimingNormal(dense.Weight, new Random(dense.Outputs))));
        Assert.Empty(report.Warnings);
        Assert.All(report.Layers, layer => Assert.True(layer.MaxRelativeUpdate > GradientFlowMonitor.VanishingThreshold, layer.Layer));
    }

    [Fact]
    public void SameDepthOfSigmoidsWithBatchNormalisation_DoesNotVanish()
    {
        var model = new Sequential(new Dense(2, 32, seed: 0));
        for (int i = 1; i <= 10; i++)
        {
            model.Add(new BatchNorm1d(32));
            model.Add(new Sigmoid());
            model.Add(new Dense(32, i == 10 ? 3 : 32, seed: i));
        }
        var report = TrainOneEpoch(model);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("vanish"));
        Assert.True(report.Layers[0].MaxRelativeUpdate > GradientFlowMonitor.VanishingThreshold);
    }

    [Fact]
    public void Report_HasOneLinePerLayer_WithTheWeightNorm()
    {
        var model = new Sequential(new Dense(2, 3, seed: 1), new ReLU(), new Dense(3, 3, seed: 2));
        var report = TrainOneEpoch(model);
        Assert.Equal(["0 Dense(2, 3)", "2 Dense(3, 3)"], report.Layers.Select(l => l.Layer));
        double norm = Math.Sqrt(model.Parameters().Take(2).Sum(p => p.ToDoubleArray().Sum(v => v * v)));
        Assert.Equal(norm, report.Layers[0].WeightNorm, 5);
    }
}
