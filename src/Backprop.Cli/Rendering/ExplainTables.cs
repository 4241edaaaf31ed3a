using System.Globalization;
using Backprop.Cli.Output;
using Backprop.Cli.Explain;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>Renders an <see cref="ExplainTrace"/> as tables, in the order one works the step by hand.</summary>
internal static class ExplainTables
{
    public static void Render(IAnsiConsole console, ExplainTrace trace)
    {
        int outputLayer = trace.Neurons.Max(n => n.Layer);
        console.MarkupLine($"[bold]backprop explain {Escape(trace.Example)}[/]: {Escape(trace.Title)}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Inputs {Join(trace.Inputs.Select(i => $"{i.Name} = {i.Value}"))}; targets {Join(trace.Errors.Select(e => $"{e.Name} = {e.Target}"))}; "
            + $"{trace.Loss}; learning rate η = {trace.LearningRate}; biases {(trace.TrainBiases ? "trained, per neuron" : "held fixed")}."));
        console.WriteLine();

        Section(console, "1. Forward pass", "net = Σ w·in + b,  out = σ(net) = 1/(1 + e^(−net))", ForwardPass(trace));
        Section(console, "2. Error", trace.Loss, Errors(trace));
        Section(console, "3. Backward pass, neuron by neuron", "∂E/∂net = ∂E/∂out · ∂out/∂net,  with ∂out/∂net = out(1 − out)", Deltas(trace, outputLayer));
        if (trace.Neurons.Any(n => n.ErrorPaths.Count > 0))
            Section(console, "4. A hidden neuron's ∂E/∂out", "the sum over the neurons it feeds: ∂E/∂out = Σ ∂E/∂net_next · w", HiddenErrors(trace));
        Section(console, "5. Every parameter's gradient and update",
            "∂E/∂w = ∂E/∂out · ∂out/∂net · ∂net/∂w  (∂net/∂w is the value w multiplies),  then w ← w − η·∂E/∂w", Gradients(trace));
        if (trace.Training is { } training)
            Section(console, string.Create(CultureInfo.InvariantCulture, $"6. After {training.Steps} steps of gradient descent"),
                "the explained step is the first; every step computes all gradients before changing any weight", Training(training));
        if (trace.Note is { } note)
        {
            console.MarkupLine($"[dim]Note: {Escape(note)}[/]");
            console.WriteLine();
        }
    }

    private static void Section(IAnsiConsole console, string heading, string formula, Table table)
    {
        console.MarkupLine($"[bold]{Escape(heading)}[/]   {Escape(formula)}");
        console.Write(table);
        console.WriteLine();
    }

    private static Table ForwardPass(ExplainTrace trace)
    {
        var table = NewTable(2, "neuron", "net =", "net", "out");
        foreach (var neuron in trace.Neurons)
        {
            var terms = trace.Parameters.Where(p => p.To == neuron.Name && p.From != "1").Select(p => $"{p.Name}·{p.From}");
            table.AddRow(Escape(neuron.Name), Escape($"{Join(terms, " + ")} + {neuron.BiasName}"), Numbers.Fixed(neuron.Net), Numbers.Fixed(neuron.Out));
        }
        return table;
    }

    private static Table Errors(ExplainTrace trace)
    {
        var table = NewTable(1, "output", "target t", "out o", "error");
        foreach (var error in trace.Errors)
            table.AddRow(Escape(error.Name), Numbers.Fixed(error.Target), Numbers.Fixed(error.Out), Numbers.Fixed(error.Error));
        table.AddRow("[bold]E_total[/]", "", "", $"[bold]{Numbers.Fixed(trace.TotalError)}[/]");
        return table;
    }

    private static Table Deltas(ExplainTrace trace, int outputLayer)
    {
        var table = NewTable(1, "neuron", "∂E/∂out", "∂out/∂net", "∂E/∂net");
        foreach (var neuron in trace.Neurons.OrderByDescending(n => n.Layer))
            table.AddRow(Escape(neuron.Name) + (neuron.Layer == outputLayer ? "" : " (hidden: see 4)"),
                Numbers.Fixed(neuron.DErrorDOut), Numbers.Fixed(neuron.DOutDNet), Numbers.Fixed(neuron.DErrorDNet));
        return table;
    }

    private static Table HiddenErrors(ExplainTrace trace)
    {
        var table = NewTable(2, "hidden", "through", "∂E/∂net_next", "× weight", "= term");
        foreach (var neuron in trace.Neurons.Where(n => n.ErrorPaths.Count > 0))
        {
            foreach (var path in neuron.ErrorPaths)
                table.AddRow(Escape(neuron.Name), Escape(path.Through), Numbers.Fixed(path.DErrorDNet),
                    $"{Escape(path.WeightName)} = {Numbers.Fixed(path.Weight)}", Numbers.Fixed(path.Term));
            table.AddRow($"[bold]{Escape(neuron.Name)}[/]", "", "", "∂E/∂out =", $"[bold]{Numbers.Fixed(neuron.DErrorDOut)}[/]");
        }
        return table;
    }

    private static Table Gradients(ExplainTrace trace)
    {
        var table = NewTable(2, "parameter", "from → to", "∂E/∂out", "∂out/∂net", "∂net/∂w", "= ∂E/∂w", "value", "updated");
        foreach (var p in trace.Parameters)
            table.AddRow(Escape(p.Name), Escape($"{p.From} → {p.To}"), Numbers.Fixed(p.DErrorDOut), Numbers.Fixed(p.DOutDNet),
                Numbers.Fixed(p.DNetDParameter), $"[bold]{Numbers.Fixed(p.Gradient)}[/]", Numbers.Fixed(p.Value), $"[bold]{Numbers.Fixed(p.Updated)}[/]");
        return table;
    }

    private static Table Training(TrainingResult training)
    {
        var table = NewTable(1, "output", "target t", "out o", "error");
        foreach (var output in training.Outputs)
            table.AddRow(Escape(output.Name), Numbers.Fixed(output.Target), Numbers.Fixed(output.Out), Numbers.Fixed(output.Error));
        table.AddRow("[bold]E_total[/]", "", "", $"[bold]{Numbers.Fixed(training.TotalError)}[/]");
        return table;
    }

    /// <summary>A table whose first <paramref name="nameColumns"/> columns hold names; the rest hold numbers, right-aligned.</summary>
    private static Table NewTable(int nameColumns, params string[] columns)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var column in columns.Take(nameColumns)) table.AddColumn(new TableColumn(Escape(column)));
        foreach (var column in columns.Skip(nameColumns)) table.AddColumn(new TableColumn(Escape(column)).RightAligned());
        return table;
    }

    private static string Escape(string text) => Markup.Escape(text);

    private static string Join(IEnumerable<string> parts, string separator = ", ") => string.Join(separator, parts);
}
