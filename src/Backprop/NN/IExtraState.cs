using System.Text.Json.Nodes;

namespace Backprop.NN;

/// <summary>
/// A module with state that is neither a parameter nor a buffer but that resumed training needs, as PyTorch's
/// <c>get_extra_state</c>/<c>set_extra_state</c>: <see cref="Dropout"/>'s generator position, for one.
/// <see cref="IO.Checkpoint"/> saves every such module's state under its path and puts it back on load, so
/// training continues as if it had never stopped.
/// </summary>
/// <example>
/// <code>
/// JsonNode saved = ((IExtraState)dropout).GetExtraState();   // "1234567"
/// ((IExtraState)dropout).SetExtraState(saved);                // the same masks follow again
/// </code>
/// </example>
public interface IExtraState
{
    /// <summary>The state as a JSON value; a 64-bit number as a decimal string, since readers that hold numbers as doubles would round it.</summary>
    JsonNode GetExtraState();

    /// <summary>Puts back a state <see cref="GetExtraState"/> gave, checking it first so that a bad one changes nothing.</summary>
    /// <exception cref="ArgumentException">The state is not one this module gives; the message says what it expected.</exception>
    void SetExtraState(JsonNode? state);
}
