using Microsoft.AspNetCore.Builder;
using PredictionServer;

namespace Backprop.Tests.Samples;

/// <summary>The sample's app on a loopback port the system picks, stopped (gracefully) on dispose.</summary>
internal sealed class PredictionServerHost(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public static async Task<PredictionServerHost> Start(string modelPath)
    {
        var app = PredictionApp.Build(modelPath, ["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        return new PredictionServerHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
