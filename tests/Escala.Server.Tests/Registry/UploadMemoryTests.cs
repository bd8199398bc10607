using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Net.Http.Headers;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Escala.Testing;

namespace Escala.Server.Tests.Registry;

/// <summary>Measures the process's allocations, so it runs alone.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class AllocationMeasuringCollection;

/// <summary>
/// Model uploads through the real server are streamed to a temporary file while hashed: an upload costs the server a
/// fixed buffer of memory whatever its size, and one over the limit is refused as soon as it passes it.
/// </summary>
[Collection(nameof(AllocationMeasuringCollection))]
public sealed class UploadMemoryTests
{
    private const int Limit = 32 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(80L * 1024 * 1024)] // within the route's limit for the whole body (file, metadata and baseline): refused by the file's limit
    [InlineData(320L * 1024 * 1024)] // over it: refused by Kestrel before the file is read
    public async Task An_upload_over_the_limit_is_refused_at_the_limit_without_holding_it_in_memory(long fileBytes)
    {
        await using var server = await EscalaTestServer.StartAsync(options: folder => new EscalaServerOptions { DataDirectory = folder, MaxArtifactBytes = Limit });
        var admin = server.Admin();
        await admin.RegisterOkAsync("warm-up", TestModels.Logistic()); // the first request's one-time costs are not the upload's
        var before = StateSnapshot.Take(server.DataDirectory);

        // The process's allocation counter also counts the server's background jobs: the best of three uploads is the
        // upload's own cost (a copy of the file would show in every round).
        var allocated = long.MaxValue;
        (int Status, string Body, long Sent) result = default;
        for (var round = 0; round < 3; round++)
        {
            var start = GC.GetTotalAllocatedBytes(precise: true);
            result = await PostUntilAnsweredAsync(new Uri(server.Url), "/api/v1/models/huge/versions", server.AdminKey, fileBytes);
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - start);
        }

        var (status, answer, sent) = result;

        Assert.True(status == 413, answer);
        Assert.Contains(ProblemTypes.PayloadTooLarge.Uri, answer, StringComparison.Ordinal);
        Assert.Contains("33,554,432 bytes", answer, StringComparison.Ordinal);
        Assert.True(sent < Limit + (8 * 1024 * 1024), $"the client had sent {sent:N0} bytes of the file when the refusal came");
        Assert.True(allocated < 8L * 1024 * 1024, $"the refused upload allocated {allocated:N0} bytes in the server process");
        Assert.Equal(before, StateSnapshot.Take(server.DataDirectory));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "artifacts", "tmp")));
    }

    [Fact]
    public async Task A_large_model_is_registered_without_holding_the_upload_in_memory_and_its_temporary_file_is_removed()
    {
        await using var server = await EscalaTestServer.StartAsync(options: folder => new EscalaServerOptions { DataDirectory = folder, MaxArtifactBytes = Limit });
        var admin = server.Admin();
        await admin.RegisterOkAsync("warm-up", TestModels.Logistic()); // the first request's one-time costs are not the upload's
        var model = TestModels.OfSize(24 * 1024 * 1024);

        // What the engine's inspection of the file costs by itself (its parser and compiler copy the weights; engine memory
        // is its own concern): the upload may add a fixed buffer to that, not another copy of the file.
        var inspection = GC.GetTotalAllocatedBytes(precise: true);
        Assert.True(Onnx.Inspection.OnnxModelInspector.Inspect(model).CanRun);
        inspection = GC.GetTotalAllocatedBytes(precise: true) - inspection;

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await admin.PostAsync("api/v1/models/wide/versions", Form(new StreamContent(new MemoryStream(model, writable: false), 81920)), Ct);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Reading the upload into memory, as before, cost twice the file (a growing buffer, then its copy); streaming it costs
        // a fixed buffer. The bound leaves room for whatever else the process allocates meanwhile (timers, other servers' jobs).
        var overhead = allocated - inspection;
        Assert.True(overhead < model.Length, $"registering a {model.Length:N0}-byte model allocated {allocated:N0} bytes in the server process, {overhead:N0} more than inspecting it");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "artifacts", "tmp")));
        var download = await admin.GetByteArrayAsync("api/v1/models/wide/versions/1/artifact", Ct);
        Assert.Equal(model, download);
    }

    private static MultipartFormDataContent Form(HttpContent file)
    {
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", "model.onnx" } };
    }

    /// <summary>
    /// Sends a multipart upload whose file part is <paramref name="fileBytes"/> long over a plain socket, watching for the
    /// answer after every chunk, as a client that streams a large file sees it: the status and body of the answer and
    /// how many bytes of the file had been sent when it came.
    /// </summary>
    private static async Task<(int Status, string Body, long Sent)> PostUntilAnsweredAsync(Uri server, string path, string key, long fileBytes)
    {
        const string Boundary = "escala-upload-test";
        var head = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        var tail = $"\r\n--{Boundary}--\r\n";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, Ct);
        var stream = tcp.GetStream();
        var request = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {key}\r\n" +
            $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {head.Length + fileBytes + tail.Length}\r\n\r\n{head}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);

        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0x5A);
        var buffer = new byte[16 * 1024];
        var firstRead = stream.ReadAsync(buffer, Ct).AsTask();
        long sent = 0;
        while (sent < fileBytes && !firstRead.IsCompleted)
        {
            try
            {
                var n = (int)Math.Min(chunk.Length, fileBytes - sent);
                await stream.WriteAsync(chunk.AsMemory(0, n), Ct);
                sent += n;
            }
            catch (IOException)
            {
                break; // the server closed its side after answering
            }
        }

        using var received = new MemoryStream();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var read = await firstRead.WaitAsync(bound.Token);
        while (read > 0)
        {
            received.Write(buffer, 0, read);
            var text = Encoding.UTF8.GetString(received.ToArray());
            if (text.Contains("}", StringComparison.Ordinal) && text.TrimEnd().EndsWith('}') || text.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }

            try
            {
                read = await stream.ReadAsync(buffer, bound.Token);
            }
            catch (IOException)
            {
                break;
            }
        }

        var answer = Encoding.UTF8.GetString(received.ToArray());
        var status = answer.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(answer.AsSpan(9, 3), CultureInfo.InvariantCulture) : 0;
        return (status, answer, sent);
    }
}
