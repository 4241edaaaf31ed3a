using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Package.Tests;

/// <summary>One C# block of README.md, by the line its fence opens on: its using directives, type declarations and statements.</summary>
internal sealed record ReadmeExample(int Line, IReadOnlyList<string> Usings, IReadOnlyList<string> Types, IReadOnlyList<string> Statements);

/// <summary>
/// README's library examples as a program: every <c>```csharp</c> block of the section "A short tour of the library"
/// (up to the next level-2 heading), taken verbatim. Each block runs in a method of its own, after a line that names it;
/// its <c>using</c> directives go to the top of the file, where C# wants them, so a later block may rely on an earlier
/// block's, as a reader does; its type declarations (a class from the first column to its closing brace there) go after
/// the statements, where C# wants them.
/// </summary>
internal static partial class ReadmeExamples
{
    public const string Section = "## A short tour of the library";

    public static IReadOnlyList<ReadmeExample> Read(string readmePath)
    {
        string[] lines = File.ReadAllLines(readmePath);
        int start = Array.IndexOf(lines, Section);
        if (start < 0) throw new InvalidOperationException($"{readmePath} has no line '{Section}'.");
        var examples = new List<ReadmeExample>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (lines[i].Trim() != "```csharp") continue;
            int fence = i;
            var usings = new List<string>();
            var types = new List<string>();
            var statements = new List<string>();
            bool inType = false;
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                inType |= TypeDeclaration().IsMatch(lines[i]);
                (inType ? types : UsingDirectives().IsMatch(lines[i]) ? usings : statements).Add(lines[i]);
                if (inType && (lines[i] == "}" || (TypeDeclaration().IsMatch(lines[i]) && lines[i].TrimEnd().EndsWith(';')))) inType = false;
            }
            examples.Add(new ReadmeExample(fence + 1, usings, types, statements));
        }
        return examples;
    }

    /// <summary>The program: the directives, then a call per example announcing its README line, then the examples.</summary>
    public static string Program(IReadOnlyList<ReadmeExample> examples)
    {
        var text = new StringBuilder();
        foreach (string directive in examples.SelectMany(e => e.Usings).SelectMany(Split).Distinct(StringComparer.Ordinal)) text.AppendLine(directive);
        foreach (var example in examples)
        {
            text.AppendLine($"Console.WriteLine(\"{Marker(example)}\");");
            text.AppendLine($"ReadmeLine{example.Line}();");
        }
        text.AppendLine("Console.WriteLine(\"README examples: all ran\");");
        foreach (var example in examples)
        {
            text.AppendLine($"static void ReadmeLine{example.Line}()");
            text.AppendLine("{");
            foreach (string statement in example.Statements) text.AppendLine(statement);
            text.AppendLine("}");
        }
        foreach (string line in examples.SelectMany(e => e.Types)) text.AppendLine(line);
        return text.ToString();
    }

    /// <summary>The line the program prints before running <paramref name="example"/>.</summary>
    public static string Marker(ReadmeExample example) => $"README example at line {example.Line}";

    private static IEnumerable<string> Split(string line) => UsingDirective().Matches(line).Select(m => m.Value.Trim());

    [GeneratedRegex(@"^((public|internal|sealed|abstract|static|partial|file|readonly)\s+)*(class|record|struct|interface|enum)\s")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*(using\s+[\w.]+\s*;\s*)+$")]
    private static partial Regex UsingDirectives();

    [GeneratedRegex(@"using\s+[\w.]+\s*;")]
    private static partial Regex UsingDirective();
}
