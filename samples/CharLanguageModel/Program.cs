// A character-level language model on the Gettysburg Address (public domain, see SOURCE.md): see CharModel.cs.
// Usage: dotnet run -c Release --project samples/CharLanguageModel [-- seed]
using System.Diagnostics;

const int TrainingSteps = 250, Generated = 240;
const double LossBound = 1.0; // nats per character; a uniform guess over the ~40 symbols is ln 40 ≈ 3.7
int seed = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1;

string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gettysburg.txt")).ReplaceLineEndings("\n");
var model = new CharModel(text);
var watch = Stopwatch.StartNew();
double loss = model.Train(TrainingSteps, seed, (step, smoothed) =>
{
    if (step % 50 == 0) Console.WriteLine($"step {step,4}  loss {smoothed:F3} nats/char");
});
Console.WriteLine($"\nTrained in {watch.Elapsed.TotalSeconds:F1} s; final smoothed loss {loss:F3} " +
    $"({(loss < LossBound ? "below" : "NOT below")} the bound {LossBound} nats/char).");

string first = model.Generate("Four score", Generated, seed);
Console.WriteLine($"\nGenerated with seed {seed}:\n{first}");
Console.WriteLine($"\nSame seed again gives the same text: {(model.Generate("Four score", Generated, seed) == first ? "yes" : "no")}");
