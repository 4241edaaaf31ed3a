namespace Backprop.Data;

/// <summary>The training and test sets of an MNIST-style data set.</summary>
/// <param name="Train">The examples to learn from (<c>train-*</c> files).</param>
/// <param name="Test">The held-out examples (<c>t10k-*</c> files).</param>
public sealed record MnistData(MnistSet Train, MnistSet Test);
