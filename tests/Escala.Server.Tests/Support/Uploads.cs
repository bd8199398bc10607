using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Escala.Server.Hosting;
using Escala.Server.Registry;

namespace Escala.Testing;

/// <summary>Registration uploads as clients send them.</summary>
public static class Uploads
{
    /// <summary>A multipart body with the model in 'file' and the metadata (if any) in 'metadata'.</summary>
    public static MultipartFormDataContent Form(byte[]? model, object? metadata = null, string? rawMetadata = null)
    {
        var form = new MultipartFormDataContent();
        if (metadata is not null || rawMetadata is not null)
        {
            var meta = new StringContent(rawMetadata ?? JsonSerializer.Serialize(metadata, EscalaJson.Options), Encoding.UTF8);
            meta.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(meta, "metadata");
        }

        if (model is not null)
        {
            var file = new ByteArrayContent(model);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "model.onnx");
        }

        return form;
    }

    /// <summary>Registers <paramref name="model"/> under <paramref name="name"/>.</summary>
    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string name, byte[] model, RegisterVersionMetadata? metadata = null) =>
        client.PostAsync($"api/v1/models/{name}/versions", Form(model, metadata), TestContext.Current.CancellationToken);

    /// <summary>Registers and returns the version, failing the test on refusal.</summary>
    public static async Task<VersionResponse> RegisterOkAsync(this HttpClient client, string name, byte[] model, RegisterVersionMetadata? metadata = null)
    {
        var response = await client.RegisterAsync(name, model, metadata);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<VersionResponse>(body, EscalaJson.Options)!;
    }

    /// <summary>Reads JSON with the API's settings.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, EscalaJson.Options)!;
    }

    /// <summary>POSTs JSON with the API's settings.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body) =>
        client.PostAsJsonAsync(path, body, EscalaJson.Options, TestContext.Current.CancellationToken);

    /// <summary>PUTs JSON with the API's settings.</summary>
    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body, EscalaJson.Options, TestContext.Current.CancellationToken);
}
