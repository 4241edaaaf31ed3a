using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Backprop.Data;

/// <summary>
/// Runs an enumeration on a background thread a few items ahead of its consumer, so reading and parsing a file overlaps
/// with training on what was read. The items and their order are those of the source; an exception the source throws
/// is rethrown to the consumer where its item would have come; stopping early stops the producer.
/// </summary>
internal static class Prefetch
{
    public static IEnumerable<T> Ahead<T>(IEnumerable<T> source, int depth)
    {
        using var queue = new BlockingCollection<T>(depth);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var item in source)
                {
                    if (stop.IsCancellationRequested) break;
                    queue.Add(item, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var item in queue.GetConsumingEnumerable()) yield return item;
            producer.Wait();
            failure?.Throw();
        }
        finally
        {
            // The consumer stopped early (or failed): stop the producer and wait, so the file is closed when this returns.
            stop.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
            }
        }
    }
}
