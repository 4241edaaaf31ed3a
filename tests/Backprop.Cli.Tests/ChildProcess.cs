using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Cli.Tests;

/// <summary>
/// The built tool as a real child process (<c>dotnet Backprop.Cli.dll args…</c>) that a test can signal while it runs,
/// whose output arrives line by line, and whose peak resident memory (Linux's VmHWM) is sampled while it lives.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new(), _error = new();
    private readonly Thread _sampler;
    private readonly int _id;
    private long _peakResidentBytes;
    private volatile bool _disposed;

    public ChildProcess(string workingDirectory, params string[] args)
        : this(workingDirectory, new Dictionary<string, string>(), args)
    {
    }

    /// <summary>As the other constructor, with <paramref name="environment"/> set in the child's environment.</summary>
    public ChildProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Append(_output, line.Data);
        _process.ErrorDataReceived += (_, line) => Append(_error, line.Data);
        _id = _process.Id;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _sampler = new Thread(SamplePeak) { IsBackground = true };
        _sampler.Start();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string Error { get { lock (_error) return _error.ToString(); } }

    /// <summary>The highest resident set size seen (0 when the process ended before the first sample).</summary>
    public long PeakResidentBytes => Interlocked.Read(ref _peakResidentBytes);

    /// <summary>Waits until stdout has a line starting with <paramref name="prefix"/>; false if the process ended or time ran out first.</summary>
    public bool WaitForLine(string prefix, TimeSpan timeout) => WaitFor(() => Output, prefix, timeout);

    /// <summary>As <see cref="WaitForLine"/>, on stderr.</summary>
    public bool WaitForErrorLine(string prefix, TimeSpan timeout) => WaitFor(() => Error, prefix, timeout);

    private bool WaitFor(Func<string> text, string prefix, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Has(text(), prefix)) return true;
            if (_process.HasExited)
            {
                // The last lines may still be on their way: waiting for the exit also waits for the streams' end.
                _process.WaitForExit();
                return Has(text(), prefix);
            }
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>
    /// Whether the process's main thread waits in Linux's FIFO open for a reader (its wchan is wait_for_partner); the
    /// runtime's debugger-transport thread waits there from the start, so only the main thread tells.
    /// </summary>
    public bool IsBlockedInFifoOpen()
    {
        try
        {
            return File.ReadAllText($"/proc/{_id}/task/{_id}/wchan") == "wait_for_partner";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Has(string text, string prefix) => text.Split('\n').Any(line => line.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Sends <paramref name="signal"/> (2 SIGINT, 15 SIGTERM) as a terminal or a service manager would.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the exit (killing the process after <paramref name="timeout"/>) and returns its code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the tool did not exit within {timeout}; output:\n{Output}\n{Error}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Runs the tool to its end and returns the process with its output and peak memory.</summary>
    public static ChildProcess Run(string workingDirectory, params string[] args)
    {
        var child = new ChildProcess(workingDirectory, args);
        child.WaitForExit(TimeSpan.FromMinutes(2));
        return child;
    }

    public int ExitCode => _process.ExitCode;

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _sampler.Join();
        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null) return;
        lock (builder) builder.Append(line).Append('\n');
    }

    private void SamplePeak()
    {
        string status = $"/proc/{_id}/status";
        while (!_disposed && !_process.HasExited)
        {
            try
            {
                foreach (string line in File.ReadLines(status))
                {
                    if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                    long kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    long bytes = kilobytes * 1024;
                    if (bytes > Interlocked.Read(ref _peakResidentBytes)) Interlocked.Exchange(ref _peakResidentBytes, bytes);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return; // The process has gone.
            }
            Thread.Sleep(5);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
