namespace Backprop.Cli.Explain;

/// <summary>How <see cref="ExplainTrace.Record"/> runs a <see cref="WorkedNetwork"/>.</summary>
/// <param name="LearningRate">η for the step and any further training; null uses the example's own.</param>
/// <param name="TrainBiases">
/// Update the biases too, per neuron as a <see cref="NN.Dense"/> layer does. When false, the biases are left out
/// of the optimiser's parameter list and stay fixed, as in the classic tutorial; an example that trains its
/// biases itself (<see cref="WorkedNetwork.TrainsBiases"/>) always does.
/// </param>
/// <param name="Steps">
/// Gradient-descent steps to train after recording, counting the explained step as the first (0: none);
/// the trace then holds the error and outputs after that many updates.
/// </param>
internal sealed record ExplainOptions(double? LearningRate = null, bool TrainBiases = false, int Steps = 0);
