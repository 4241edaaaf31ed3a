using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// The <see cref="IExtraState"/> of a model's modules by path, e.g. <c>{"3": "1234567"}</c> for a Dropout
/// layer, as a checkpoint keeps it (<c>""</c> is the path of the model itself).
/// </summary>
internal static class ExtraStates
{
    /// <summary>Every module's extra state, keyed by its path.</summary>
    public static JsonObject Collect(Module model)
    {
        var states = new JsonObject();
        foreach (var (path, module) in ModulesWithExtraState(model, ""))
            states[path] = module.GetExtraState();
        return states;
    }

    /// <summary>
    /// Checks that <paramref name="states"/> names exactly the model's modules with extra state and returns how
    /// to put the states back, so a caller can do it once everything else has loaded. Putting them back is all
    /// or nothing: a state a module refuses leaves every module as it was.
    /// </summary>
    /// <exception cref="ModelFormatException">A state is missing, or one names no module with extra state (both at once); a module refuses its state (when applied).</exception>
    public static Action Read(Module model, JsonObject states, string sourceName)
    {
        var modules = ModulesWithExtraState(model, "").ToList();
        var paths = modules.Select(pair => pair.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, _) in states)
        {
            if (!paths.Contains(path))
                throw new ModelFormatException(sourceName, $"the checkpoint has extra state for '{path}', which is not a module of the model with extra state");
        }

        foreach (var (path, module) in modules)
        {
            if (!states.ContainsKey(path))
                throw new ModelFormatException(sourceName, $"the checkpoint has no extra state for '{path}' ({module})");
        }

        return () => Apply(modules, states, sourceName);
    }

    private static void Apply(List<(string Path, IExtraState Module)> modules, JsonObject states, string sourceName)
    {
        var previous = modules.Select(pair => pair.Module.GetExtraState()).ToList();
        for (int i = 0; i < modules.Count; i++)
        {
            try
            {
                modules[i].Module.SetExtraState(states[modules[i].Path]);
            }
            catch (ArgumentException exception)
            {
                for (int done = 0; done < i; done++) modules[done].Module.SetExtraState(previous[done]);
                throw new ModelFormatException(sourceName, $"the checkpoint's extra state for '{modules[i].Path}' does not fit: {exception.Message.Split('\n')[0].TrimEnd()}", exception);
            }
        }
    }

    private static IEnumerable<(string Path, IExtraState Module)> ModulesWithExtraState(Module module, string path)
    {
        if (module is IExtraState stateful) yield return (path, stateful);
        foreach (var (name, child) in module.NamedChildren())
            foreach (var pair in ModulesWithExtraState(child, path.Length == 0 ? name : $"{path}.{name}"))
                yield return pair;
    }
}
