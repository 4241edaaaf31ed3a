using PredictionServer;

// dotnet run --project samples/PredictionServer -- --model mnist.safetensors [--urls http://127.0.0.1:5000]
string? model = null;
for (int i = 0; i + 1 < args.Length; i++)
    if (args[i] == "--model") model = args[i + 1];
if (model is null)
{
    Console.Error.WriteLine("usage: PredictionServer --model <file.safetensors> [--urls http://127.0.0.1:5000]");
    return 2;
}

try
{
    var app = PredictionApp.Build(model, args);
    app.Run(); // Ctrl+C and SIGTERM stop accepting connections and let in-flight requests finish (up to ShutdownTimeout)
    return 0;
}
catch (Exception error) when (error is IOException or Backprop.IO.ModelFormatException or ArgumentException)
{
    Console.Error.WriteLine($"PredictionServer: {error.Message}");
    return 1;
}
