using System.Buffers;
using System.Text;
using System.Text.Json;
using Escala.Core.Artifacts;
using Escala.Core.Problems;
using Escala.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Escala.Server.Registry;

/// <summary>The parts of a registration upload.</summary>
/// <param name="Metadata">The metadata (empty when the part was absent).</param>
/// <param name="Staged">The ONNX file, staged in the artifact store's temporary folder (read it with <c>Content</c>).</param>
/// <param name="Baseline">The reference table (CSV) to profile as the version's baseline, when sent.</param>
public sealed record ModelUploadParts(RegisterVersionMetadata Metadata, IArtifactStaging Staged, ReadOnlyMemory<byte>? Baseline) : IDisposable
{
    /// <summary>The ONNX bytes, mapped from the staged file.</summary>
    public ReadOnlyMemory<byte> File => Staged.Content;

    /// <summary>Removes the staged file (the store keeps its own copy once registered).</summary>
    public void Dispose() => Staged.Dispose();
}

/// <summary>
/// Reads a registration upload: <c>multipart/form-data</c> with a <c>file</c> part (the ONNX bytes,
/// at most the configured artifact size), an optional <c>metadata</c> part (JSON, at most 1 MiB) and an
/// optional <c>baseline</c> part (a reference CSV, at most <see cref="MaxBaselineBytes"/>).
/// Streams the parts itself, so no limit is left to defaults: the model file goes to a temporary file of the artifact
/// store while it is hashed (never into memory), and is refused the moment it passes its limit.
/// </summary>
public static class ModelUpload
{
    /// <summary>The largest metadata part accepted.</summary>
    public const int MaxMetadataBytes = 1024 * 1024;

    /// <summary>The largest baseline reference table accepted (CSV).</summary>
    public const int MaxBaselineBytes = 64 * 1024 * 1024;

    /// <summary>The parts of the request; throws a problem naming what is wrong.</summary>
    public static async Task<ModelUploadParts> ReadAsync(
        HttpRequest request, IArtifactStore artifacts, long maxFileBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ProblemTypes.UnsupportedMediaType.With(
                "Send the model as multipart/form-data with the .onnx file in a part named 'file' and optional JSON metadata in a part named 'metadata'.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw ProblemTypes.ValidationFailed.With("The multipart body has no valid boundary.");
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        RegisterVersionMetadata? metadata = null;
        IArtifactStaging? file = null;
        ReadOnlyMemory<byte>? baseline = null;
        try
        {
            await ReadPartsAsync();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's limit for the whole body (declared or counted): the same answer as the file's own limit.
            file?.Dispose();
            throw ProblemTypes.PayloadTooLarge.With(
                $"The upload is larger than this server accepts: the model file at most {maxFileBytes:N0} bytes, the metadata {MaxMetadataBytes:N0} and the baseline {MaxBaselineBytes:N0}.", e);
        }
        catch
        {
            file?.Dispose();
            throw;
        }

        if (file is null)
        {
            throw ProblemTypes.ValidationFailed.With("The upload has no part named 'file'; attach the .onnx file as 'file'.");
        }

        file.Complete();
        return new ModelUploadParts(metadata ?? new RegisterVersionMetadata(), file, baseline);

        async Task ReadPartsAsync()
        {
            MultipartSection? section;
            try
            {
                section = await reader.ReadNextSectionAsync(cancellationToken);
            }
            catch (IOException e) when (e is not BadHttpRequestException)
            {
                throw ProblemTypes.ValidationFailed.With($"The multipart body is malformed: {e.Message}", e);
            }

            while (section is not null)
            {
                var name = PartName(section);
                switch (name)
                {
                    case "file" when file is null:
                        file = artifacts.BeginStaging();
                        await StageBoundedAsync(section.Body, file, maxFileBytes, cancellationToken);
                        break;
                    case "metadata" when metadata is null:
                        var json = await ReadBoundedAsync(section.Body, MaxMetadataBytes, "metadata", cancellationToken);
                        metadata = ParseMetadata(json);
                        break;
                    case "baseline" when baseline is null:
                        baseline = await ReadBoundedAsync(section.Body, MaxBaselineBytes, "baseline reference table", cancellationToken);
                        break;
                    case "file" or "metadata" or "baseline":
                        throw ProblemTypes.ValidationFailed.With($"The part '{name}' appears twice; send it once.");
                    default:
                        throw ProblemTypes.ValidationFailed.With(
                            $"Unexpected part '{Core.Naming.ResourceName.Printable(name)}'; only 'file', 'metadata' and 'baseline' are accepted.");
                }

                try
                {
                    section = await reader.ReadNextSectionAsync(cancellationToken);
                }
                catch (IOException e)
                {
                    throw ProblemTypes.ValidationFailed.With($"The multipart body is malformed: {e.Message}", e);
                }
            }
        }
    }

    // Copies the part into the staging chunk by chunk, refusing it as soon as it passes the limit.
    private static async Task StageBoundedAsync(Stream body, IArtifactStaging staging, long maxBytes, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (staging.Length + read > maxBytes)
                {
                    throw ProblemTypes.PayloadTooLarge.With($"The model file is larger than the {maxBytes:N0} bytes this server accepts.");
                }

                await staging.AppendAsync(chunk.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static string? PartName(MultipartSection section) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
        && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;

    private static RegisterVersionMetadata ParseMetadata(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<RegisterVersionMetadata>(json.Span, EscalaJson.Options)
                ?? throw ProblemTypes.ValidationFailed.With("The metadata part is JSON null; send an object.");
        }
        catch (JsonException e)
        {
            throw ProblemTypes.ValidationFailed.With($"The metadata part is not valid JSON for a registration: {e.Message}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw ProblemTypes.ValidationFailed.With("The metadata part is not UTF-8.", e);
        }
    }

    /// <summary>Reads a body part into memory, refusing more than <paramref name="maxBytes"/> with payload-too-large.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, long maxBytes, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw ProblemTypes.PayloadTooLarge.With($"The {what} is larger than the {maxBytes:N0} bytes this server accepts.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
