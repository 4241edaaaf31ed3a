using System.Text.Json;
using Backprop.IO;
using Microsoft.AspNetCore.Http.Features;

namespace PredictionServer;

/// <summary>
/// The server: a model file loaded once, <c>POST /predict</c> and <c>GET /health</c>. Requests are answered
/// concurrently on one shared model: <c>Predict</c> never changes it, so no lock is needed.
/// </summary>
public static class PredictionApp
{
    /// <summary>Request bodies larger than this are refused with 413 (about 100 rows of 784 values written out in full).</summary>
    public const long MaxBodyBytes = 1 << 20;

    /// <summary>How long a stopping server waits for requests in flight to finish.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Builds the app for the model at <paramref name="modelPath"/>; <paramref name="args"/> are ASP.NET Core's (e.g. <c>--urls</c>).</summary>
    /// <exception cref="ModelFormatException">The file is not a model Backprop can load.</exception>
    /// <exception cref="ArgumentException">The file gives no input shape and the model has no Dense layer to read it from.</exception>
    public static WebApplication Build(string modelPath, string[] args)
    {
        // One read: the weights and the description both come from the same bytes, so a file replaced while the server
        // starts cannot pair one model's weights with another's description.
        var file = SafeTensorsReader.Read(modelPath);
        var predictor = new Predictor(Model.Load(file, modelPath), ModelDescription.FromMetadata(file.Metadata, modelPath),
            maxRows: Predictor.DefaultMaxRows, sourceName: modelPath);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();

        app.MapGet("/health", () => Results.Json(predictor.Health, PredictionJson.Default.Health));
        app.MapPost("/predict", async (HttpContext context) =>
        {
            var (request, problem, status) = await ReadRequest(context);
            if (request is null) return Results.Json(new Problem(problem!), PredictionJson.Default.Problem, statusCode: status);
            var (response, invalid, invalidStatus) = predictor.Predict(request);
            return response is null
                ? Results.Json(new Problem(invalid!), PredictionJson.Default.Problem, statusCode: invalidStatus)
                : Results.Json(response, PredictionJson.Default.PredictResponse);
        });
        return app;
    }

    /// <summary>The request, or a one-line reason and the status to answer with (400 malformed, 413 too large).</summary>
    private static async Task<(PredictRequest? Request, string? Problem, int Status)> ReadRequest(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
            return (null, $"request body of {context.Request.ContentLength} bytes exceeds the limit of {MaxBodyBytes} bytes", 413);
        try
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, PredictionJson.Default.PredictRequest, context.RequestAborted);
            return request is null || (request.Rows is null && request.Records is null)
                ? (null, "the body must be a JSON object {\"rows\": [[…], …]} or, for a table model, {\"records\": [{…}, …]}", 400)
                : (request, null, 200);
        }
        catch (JsonException error)
        {
            return (null, $"malformed JSON: {error.Message}", 400);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, $"request body exceeds the limit of {MaxBodyBytes} bytes", 413);
        }
    }
}
