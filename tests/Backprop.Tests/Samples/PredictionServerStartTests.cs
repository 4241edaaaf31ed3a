using System.Diagnostics;
using System.Text.Json;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.Samples;

/// <summary>How samples/PredictionServer reads its model file when it starts.</summary>
public sealed class PredictionServerStartTests
{
    [Fact]
    public async Task Start_ReadsTheModelFileOnce_SoWeightsAndDescriptionComeFromTheSameBytes()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var folder = new TempFolder();
        var model = new Sequential(new Dense(4, 3, seed: 1));
        model.Save(folder.File("classifier.safetensors"), new ModelDescription { InputShape = [4], ClassNames = ["a", "b", "c"] });
        model.Save(folder.File("regression.safetensors"), new ModelDescription { InputShape = [4], Task = ModelTask.Regression });
        // A FIFO can be read once per writer: the server gets the classifier's bytes once.
        string fifo = folder.File("model.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) await mkfifo.WaitForExitAsync();
        var writer = Task.Run(() => Write(fifo, folder.File("classifier.safetensors")));
        // A second read at start-up would wait for a writer forever: this one answers it after a minute with the
        // regression model's bytes, so that such a server fails the checks below rather than hang.
        using var started = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), started.Token);
            Write(fifo, folder.File("regression.safetensors"));
        });

        await using (var server = await Task.Run(() => PredictionServerHost.Start(fifo)))
        {
            started.Cancel();
            using var client = new HttpClient { BaseAddress = server.Address };
            var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;

            Assert.Equal("classification", health.GetProperty("task").GetString());
            Assert.Equal(3, health.GetProperty("classes").GetInt32());
        }
        await writer;
    }

    private static void Write(string fifo, string model)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);   // waits for a reader
        stream.Write(File.ReadAllBytes(model));
    }
}
