using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backprop.IO;
using Backprop.NN;
using PredictionServer;
using Xunit.Abstractions;

namespace Backprop.Tests.Samples;

/// <summary>Issue 16: samples/PredictionServer answers many concurrent clients with exactly what a serial Predict gives.</summary>
[Collection(MemoryMeasurement.Name)]
public sealed class PredictionServerTests(ITestOutputHelper output)
{
    private const int Requests = 20_000, Clients = 32, DistinctRequests = 64;

    [Fact]
    public async Task Predict_From32ConcurrentClients_Answers20000RequestsAsASerialPredictDoes()
    {
        using var folder = new TempFolder();
        var model = new Sequential(new Dense(784, 128, seed: 1), new ReLU(), new Dense(128, 10, seed: 2));
        model.Save(folder.File("mlp.safetensors"));
        // 64 requests of one or two rows (digits, so the JSON stays small), each sent 312 or 313 times; the answer
        // expected for each computed serially.
        var random = new Random(3);
        var bodies = new string[DistinctRequests];
        var expected = new float[DistinctRequests][];
        for (int r = 0; r < DistinctRequests; r++)
        {
            int rows = 1 + (r % 2);
            var values = Enumerable.Range(0, rows * 784).Select(_ => (float)random.Next(10)).ToArray();
            bodies[r] = JsonSerializer.Serialize(new { rows = values.Chunk(784).ToArray() });
            expected[r] = Predictor.Probabilities(model, Tensor.FromArray(values, rows, 784));
        }

        await using var server = await PredictionServerHost.Start(folder.File("mlp.safetensors"));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var latencies = new double[Requests];
        int next = -1, failed = 0, mismatched = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests && !limit.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/predict", new StringContent(bodies[i % DistinctRequests], Encoding.UTF8, "application/json"), limit.Token);
                if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failed); continue; }
                var answer = await response.Content.ReadFromJsonAsync<PredictResponse>(limit.Token);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var probabilities = answer!.Predictions.SelectMany(p => p.Probabilities!).ToArray();
                var classes = answer.Predictions.Select(p => p.Class!.Value).ToArray();
                if (!probabilities.SequenceEqual(expected[i % DistinctRequests]) || !classes.SequenceEqual(ArgMax(expected[i % DistinctRequests])))
                    Interlocked.Increment(ref mismatched);
            }
        })));
        double seconds = clock.Elapsed.TotalSeconds;

        Assert.False(limit.IsCancellationRequested, "the 20,000 requests did not finish within two minutes");
        Assert.Equal(0, failed);
        Assert.Equal(0, mismatched);
        Array.Sort(latencies);
        output.WriteLine($"{Requests} requests from {Clients} clients in {seconds:F2} s: {Requests / seconds:F0} requests/s, p50 {latencies[Requests / 2]:F2} ms, p99 {latencies[Requests * 99 / 100]:F2} ms");
    }

    [Fact]
    public async Task BadRequests_GetA400Or413_WithAOneLineReason_AndHealthDescribesTheModel()
    {
        using var folder = new TempFolder();
        new Sequential(new Dense(4, 8, seed: 1), new ReLU(), new Dense(8, 3, seed: 2)).Save(folder.File("small.safetensors"));
        await using var server = await PredictionServerHost.Start(folder.File("small.safetensors"));
        using var client = new HttpClient { BaseAddress = server.Address };

        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(4, health.GetProperty("inputs").GetInt32());
        Assert.Equal(3, health.GetProperty("classes").GetInt32());

        await AssertRefused(client, "{\"rows\": [[1, 2, 3, 4]", HttpStatusCode.BadRequest, "malformed JSON");
        await AssertRefused(client, "{\"rows\": [[1, 2, 3]]}", HttpStatusCode.BadRequest, "row 0 has 3 values, the model takes 4");
        await AssertRefused(client, "{\"columns\": []}", HttpStatusCode.BadRequest, "{\"rows\"");
        await AssertRefused(client, "{\"rows\": []}", HttpStatusCode.BadRequest, "rows is empty");
        string manyRows = "{\"rows\": [" + string.Join(",", Enumerable.Repeat("[1,2,3,4]", Predictor.DefaultMaxRows + 1)) + "]}";
        await AssertRefused(client, manyRows, HttpStatusCode.RequestEntityTooLarge, $"at most {Predictor.DefaultMaxRows}");
        string huge = "{\"rows\": [[" + new string('1', (int)PredictionApp.MaxBodyBytes) + "]]}";
        await AssertRefused(client, huge, HttpStatusCode.RequestEntityTooLarge, "exceeds the limit");

        using var good = await client.PostAsync("/predict", new StringContent("{\"rows\": [[1, 2, 3, 4], [0, 0, 0, 0]]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var answer = await good.Content.ReadFromJsonAsync<PredictResponse>();
        Assert.Equal(2, answer!.Predictions.Length);
        Assert.All(answer.Predictions, p => Assert.Equal(1, p.Probabilities!.Sum(), 5));
    }

    [Fact]
    public async Task Predict_WithAModelWhoseFileDescribesImages_TakesEachImageAsOneRow()
    {
        using var folder = new TempFolder();
        var model = new Sequential(new Conv2d(1, 2, 3, padding: 1, seed: 1), new ReLU(), new Flatten(), new Dense(2 * 6 * 6, 3, seed: 2));
        var description = new ModelDescription { InputShape = [1, 6, 6] };
        model.Save(folder.File("cnn.safetensors"), description);
        await using var server = await PredictionServerHost.Start(folder.File("cnn.safetensors"));
        using var client = new HttpClient { BaseAddress = server.Address };

        var image = Enumerable.Range(0, 36).Select(i => i / 36f).ToArray();
        using var response = await client.PostAsync("/predict", new StringContent(JsonSerializer.Serialize(new { rows = new[] { image } }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<PredictResponse>();
        // The same image as a [1, 1, 6, 6] tensor through a serial Predict.
        Assert.Equal(Predictor.Probabilities(model, Tensor.FromArray(image, 1, 1, 6, 6)), answer!.Predictions[0].Probabilities);
    }

    internal static async Task AssertRefused(HttpClient client, string body, HttpStatusCode status, string reason)
    {
        // Expect: 100-continue lets the server refuse a body by its length before the client sends it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        string error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(reason, error);
        Assert.DoesNotContain('\n', error);
    }

    private static int[] ArgMax(float[] probabilities) =>
        probabilities.Chunk(10).Select(row => Array.IndexOf(row, row.Max())).ToArray();
}
