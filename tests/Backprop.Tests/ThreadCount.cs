namespace Backprop.Tests;

/// <summary>Runs test code with a given <see cref="Threads.Count"/>, and puts the previous count back whatever happens.</summary>
internal static class ThreadCount
{
    public static T With<T>(int count, Func<T> body)
    {
        int saved = Threads.Count;
        Threads.Count = count;
        try
        {
            return body();
        }
        finally
        {
            Threads.Count = saved;
        }
    }
}
