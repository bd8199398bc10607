using System.Globalization;
using Escala.Core.Access;
using Escala.Core.Artifacts;
using Escala.Core.Audit;
using Escala.Core.Departments;
using Escala.Core.Naming;
using Escala.Core.Problems;

namespace Escala.Core.Registry;

/// <summary>
/// The registry's rules: registering immutable, numbered versions from verified ONNX files;
/// reading them back with their artifacts verified; aliases, cards, lineage and model settings.
/// Writes check the caller's department scope; every change is audited.
/// </summary>
public sealed class ModelRegistry(
    IModelStore models, IArtifactStore artifacts, IModelInspector inspector, IDepartmentStore departments, TimeProvider time)
{
    /// <summary>The alias that always means the highest version number; it cannot be set.</summary>
    public const string LatestAlias = "latest";

    /// <summary>The largest model card accepted, in characters.</summary>
    public const int MaxCardLength = 100_000;

    // Registrations of the same bytes take turns from storing them to recording the version, so undoing
    // a failed one can never delete a file another registration has just come to rely on. Striped by
    // hash: bounded memory, and different artifacts rarely wait for each other.
    private readonly SemaphoreSlim[] _artifactStripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Every model with its counts.</summary>
    public Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        models.ListModelsAsync(cancellationToken);

    /// <summary>The model; throws not-found.</summary>
    public async Task<Model> GetModelAsync(string name, CancellationToken cancellationToken = default)
    {
        ResourceName.Require("model", name);
        return await models.FindModelAsync(name, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"There is no model '{name}'. Register one with `escala models register {name} FILE.onnx`.");
    }

    /// <summary>Changes a model's description, department or four-eyes setting (the last two need an admin key).</summary>
    public async Task<Model> UpdateModelAsync(Principal caller, string name, ModelChange change, CancellationToken cancellationToken = default)
    {
        var before = await GetModelAsync(name, cancellationToken);
        RequireScope(caller, before);
        var after = before;
        if (change.Description is not null)
        {
            after = after with { Description = FreeText.Optional("description", change.Description, 2000, multiline: true) };
        }

        if (change.RequireApproval is { } requireApproval && requireApproval != before.RequireApproval)
        {
            RequireAdmin(caller, "switch four-eyes approval");
            after = after with { RequireApproval = requireApproval };
        }

        if (change.Department is not null && change.Department != before.Department)
        {
            RequireAdmin(caller, "move a model to another department");
            var department = await RequireDepartmentAsync(change.Department, cancellationToken);
            if (!caller.MayActFor(department))
            {
                throw ProblemTypes.DepartmentScope.With($"Your key is not scoped to '{department}'.");
            }

            after = after with { Department = department };
        }

        if (after == before)
        {
            return before;
        }

        after = after with { UpdatedAt = time.GetUtcNow() };
        await models.UpdateModelAsync(after, AuditEntry.Create(after.UpdatedAt, caller, "model.update", AuditSubjects.Model(name), before, after), cancellationToken);
        return after;
    }

    /// <summary>
    /// Registers <paramref name="artifact"/> as the next version of the model, creating the model on
    /// its first version. Nothing is stored unless every check passes.
    /// </summary>
    public async Task<ModelVersion> RegisterAsync(Principal caller, RegistrationRequest request, ReadOnlyMemory<byte> artifact, CancellationToken cancellationToken = default)
    {
        var name = ResourceName.Require("model", request.Model);
        var now = time.GetUtcNow();
        var existing = await models.FindModelAsync(name, cancellationToken);
        Model? create = null;
        if (existing is null)
        {
            var department = request.Department is null ? caller.DefaultDepartment : await RequireDepartmentAsync(request.Department, cancellationToken);
            if (!caller.MayActFor(department))
            {
                throw ProblemTypes.DepartmentScope.With(department is null
                    ? "Your key is scoped to several departments; say which one owns the model (--department)."
                    : $"Your key is not scoped to '{department}', so it cannot create a model owned by it.");
            }

            create = new Model(name, FreeText.Optional("description", request.Description, 2000, multiline: true),
                department, request.RequireApproval ?? true, now, caller.AuditName, now);
        }
        else
        {
            RequireScope(caller, existing);
            if (request.Department is not null && request.Department != existing.Department)
            {
                throw ProblemTypes.ValidationFailed.With(
                    $"The model '{name}' belongs to '{existing.Department ?? "the organisation"}'; a department is only chosen when a model is created. Use `escala models update {name} --department` to move it.");
            }

            if (request.RequireApproval is { } requireApproval && requireApproval != existing.RequireApproval)
            {
                throw ProblemTypes.ValidationFailed.With(
                    $"Four-eyes approval is a model setting, not a version's; change it with `escala models update {name} --four-eyes on|off`.");
            }
        }

        var metrics = VersionMetadata.Metrics(request.Metrics);
        var parameters = VersionMetadata.Params(request.Params);
        var tags = VersionMetadata.Tags(request.Tags);
        var parent = request.Parent is null ? null : VersionRef.Parse(request.Parent, name);
        if (parent is not null && await models.FindVersionAsync(parent.Model, parent.Version, cancellationToken) is null)
        {
            throw ProblemTypes.ValidationFailed.With($"The parent version {parent} does not exist.");
        }

        var lineage = new Lineage(
            FreeText.Optional("data fingerprint", request.DataFingerprint, 200),
            request.PipelineRun is null ? null : ResourceName.Require("pipeline run", request.PipelineRun),
            FreeText.Optional("code revision", request.CodeRevision, 200),
            parent);
        var card = FreeText.Optional("model card", request.Card, MaxCardLength, multiline: true);
        var description = FreeText.Optional("description", request.Description, 2000, multiline: true);

        if (artifact.IsEmpty)
        {
            throw ProblemTypes.InvalidModel.With("The uploaded file is empty; send the .onnx file's bytes.");
        }

        var inspection = inspector.Inspect(artifact);

        var stripe = _artifactStripes[Convert.ToInt32(ArtifactId.Of(artifact.Span).Sha256[..2], 16) % _artifactStripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            var put = await artifacts.PutAsync(artifact, cancellationToken);
            var draft = new VersionDraft(name, put.Id, put.Size, description, metrics, parameters, tags, lineage, inspection.Signature, now, caller.AuditName);
            try
            {
                var registration = new VersionRegistration(draft, create, card) { Baseline = request.Baseline };
                var registered = await models.AddVersionAsync(registration, stored => AuditFor(caller, now, stored, create, card, request.Baseline), CancellationToken.None);
                return registered.Version;
            }
            catch
            {
                // The registration is all or nothing: bytes this call added to the store go again.
                if (put.Created)
                {
                    artifacts.Delete(put.Id);
                }

                throw;
            }
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>A model's versions.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken = default)
    {
        await GetModelAsync(model, cancellationToken);
        return await models.ListVersionsAsync(model, cancellationToken);
    }

    /// <summary>The version named by a number, an alias, or <c>latest</c>; throws not-found.</summary>
    public async Task<ModelVersion> GetVersionAsync(string model, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        await GetModelAsync(model, cancellationToken);
        int number;
        if (int.TryParse(versionOrAlias, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
        }
        else if (string.Equals(versionOrAlias, LatestAlias, StringComparison.Ordinal))
        {
            var all = await models.ListVersionsAsync(model, cancellationToken);
            number = all.Count == 0
                ? throw ProblemTypes.NotFound.With($"The model '{model}' has no versions yet.")
                : all[^1].Version;
        }
        else
        {
            ResourceName.Require("alias", versionOrAlias);
            var alias = await models.FindAliasAsync(model, versionOrAlias, cancellationToken)
                ?? throw ProblemTypes.NotFound.With($"The model '{model}' has no version or alias '{versionOrAlias}'.");
            number = alias.Version;
        }

        return await models.FindVersionAsync(model, number, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The model '{model}' has no version {number.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>Checks that the version's stored artifact still hashes to its SHA-256 (without loading it); throws artifact-corrupt when not.</summary>
    public async Task VerifyArtifactAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        try
        {
            await artifacts.VerifyAsync(version.Artifact, cancellationToken);
        }
        catch (ProblemException e) when (e.Type == ProblemTypes.ArtifactCorrupt)
        {
            throw ProblemTypes.ArtifactCorrupt.With($"The artifact of {version.Ref} is refused: {e.Detail}", e);
        }
    }

    /// <summary>The version's ONNX bytes, verified against their SHA-256; a corrupted artifact is refused.</summary>
    public async Task<(ModelVersion Version, byte[] Bytes)> LoadArtifactAsync(string model, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        var version = await GetVersionAsync(model, versionOrAlias, cancellationToken);
        try
        {
            return (version, await artifacts.LoadAsync(version.Artifact, cancellationToken));
        }
        catch (ProblemException e) when (e.Type == ProblemTypes.ArtifactCorrupt)
        {
            throw ProblemTypes.ArtifactCorrupt.With($"The artifact of {version.Ref} is refused: {e.Detail}", e);
        }
    }

    /// <summary>A model's aliases.</summary>
    public async Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string model, CancellationToken cancellationToken = default)
    {
        await GetModelAsync(model, cancellationToken);
        return await models.ListAliasesAsync(model, cancellationToken);
    }

    /// <summary>Points <paramref name="alias"/> at a version (not an archived one).</summary>
    public async Task<ModelAlias> SetAliasAsync(Principal caller, string model, string alias, int version, CancellationToken cancellationToken = default)
    {
        var owner = await GetModelAsync(model, cancellationToken);
        RequireScope(caller, owner);
        RequireAliasName(alias);
        var target = await models.FindVersionAsync(model, version, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The model '{model}' has no version {version.ToString(CultureInfo.InvariantCulture)}.");
        if (target.Stage == Stage.Archived)
        {
            throw ProblemTypes.Conflict.With($"{target.Ref} is archived; restore it to staging before pointing '{alias}' at it.");
        }

        var before = await models.FindAliasAsync(model, alias, cancellationToken);
        var now = time.GetUtcNow();
        var after = new ModelAlias(model, alias, version, now, caller.AuditName);
        await models.SetAliasAsync(after, AuditEntry.Create(now, caller, "alias.set", AuditSubjects.Alias(model, alias), before, after), cancellationToken);
        return after;
    }

    /// <summary>Removes an alias; throws not-found.</summary>
    public async Task RemoveAliasAsync(Principal caller, string model, string alias, CancellationToken cancellationToken = default)
    {
        var owner = await GetModelAsync(model, cancellationToken);
        RequireScope(caller, owner);
        ResourceName.Require("alias", alias);
        var before = await models.FindAliasAsync(model, alias, cancellationToken)
            ?? throw ProblemTypes.NotFound.With($"The model '{model}' has no alias '{alias}'.");
        var audit = AuditEntry.Create<ModelAlias>(time.GetUtcNow(), caller, "alias.remove", AuditSubjects.Alias(model, alias), before, null);
        if (!await models.RemoveAliasAsync(model, alias, audit, cancellationToken))
        {
            throw ProblemTypes.NotFound.With($"The model '{model}' has no alias '{alias}'.");
        }
    }

    /// <summary>The version's card: the written one, or one generated from its metadata when none was written.</summary>
    public async Task<(ModelVersion Version, ModelCard Card, bool Generated)> GetCardAsync(string model, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        var version = await GetVersionAsync(model, versionOrAlias, cancellationToken);
        var card = await models.FindCardAsync(model, version.Version, cancellationToken);
        return card is null
            ? (version, new ModelCard(model, version.Version, Cards.ModelCardTemplate.For(version), version.CreatedAt, version.CreatedBy), true)
            : (version, card, false);
    }

    /// <summary>Writes or replaces a version's card.</summary>
    public async Task<ModelCard> SetCardAsync(Principal caller, string model, string versionOrAlias, string markdown, CancellationToken cancellationToken = default)
    {
        var owner = await GetModelAsync(model, cancellationToken);
        RequireScope(caller, owner);
        var version = await GetVersionAsync(model, versionOrAlias, cancellationToken);
        var text = FreeText.Required("model card", markdown, MaxCardLength, multiline: true);
        var before = await models.FindCardAsync(model, version.Version, cancellationToken);
        var now = time.GetUtcNow();
        var after = new ModelCard(model, version.Version, text, now, caller.AuditName);
        await models.SetCardAsync(after, AuditEntry.Create(now, caller, "card.set", AuditSubjects.Version(model, version.Version), before, after), cancellationToken);
        return after;
    }

    /// <summary>A version's lineage both ways: its ancestors and the versions derived from it.</summary>
    public async Task<LineageView> GetLineageAsync(string model, string versionOrAlias, CancellationToken cancellationToken = default)
    {
        var version = await GetVersionAsync(model, versionOrAlias, cancellationToken);
        var ancestors = new List<VersionRef>();
        var seen = new HashSet<VersionRef> { version.Ref };
        for (var parent = version.Lineage.Parent; parent is not null && seen.Add(parent);)
        {
            ancestors.Add(parent);
            parent = (await models.FindVersionAsync(parent.Model, parent.Version, cancellationToken))?.Lineage.Parent;
        }

        var children = await models.FindByLineageAsync(new LineageQuery(null, null, null, version.Ref), cancellationToken);
        return new LineageView(version.Ref, version.Lineage, ancestors, [.. children.Select(c => c.Ref)]);
    }

    /// <summary>Versions made from a data fingerprint, by a pipeline run, at a code revision or from a parent.</summary>
    public Task<IReadOnlyList<ModelVersion>> FindByLineageAsync(LineageQuery query, CancellationToken cancellationToken = default)
    {
        if (query.IsEmpty)
        {
            throw ProblemTypes.ValidationFailed.With("Say what to search by: dataFingerprint, pipelineRun, codeRevision or parent.");
        }

        return models.FindByLineageAsync(query, cancellationToken);
    }

    /// <summary>Throws department-scope when the caller may not change <paramref name="model"/>.</summary>
    public static void RequireScope(Principal caller, Model model)
    {
        if (!caller.MayActFor(model.Department))
        {
            throw ProblemTypes.DepartmentScope.With(model.Department is null
                ? $"The model '{model.Name}' belongs to the whole organisation; only an organisation-wide key can change it."
                : $"The model '{model.Name}' belongs to '{model.Department}', which your key is not scoped to.");
        }
    }

    private static void RequireAdmin(Principal caller, string what)
    {
        if (!caller.HasRole(Role.Admin))
        {
            throw ProblemTypes.InsufficientRole.With($"Only an admin key can {what}.");
        }
    }

    private static void RequireAliasName(string alias)
    {
        ResourceName.Require("alias", alias);
        if (alias.All(char.IsAsciiDigit))
        {
            throw ProblemTypes.InvalidName.With($"The alias '{alias}' is a number, which would read as a version number; pick a name.");
        }

        if (alias == LatestAlias)
        {
            throw ProblemTypes.InvalidName.With("'latest' always means the highest version number; pick another alias.");
        }
    }

    private async Task<string> RequireDepartmentAsync(string name, CancellationToken cancellationToken)
    {
        ResourceName.Require("department", name);
        return (await departments.FindAsync(name, cancellationToken))?.Name
            ?? throw ProblemTypes.ValidationFailed.With($"There is no department '{name}'; create it with `escala departments create {name}`.");
    }

    private static List<AuditEntry> AuditFor(
        Principal caller, DateTimeOffset now, RegisteredVersion stored, Model? created, string? card, Monitoring.Baselines.BaselineProfile? baseline)
    {
        var version = stored.Version;
        var entries = new List<AuditEntry>(4);
        if (stored.ModelCreated && created is not null)
        {
            entries.Add(AuditEntry.Create<Model>(now, caller, "model.create", AuditSubjects.Model(version.Model), null, created));
        }

        entries.Add(AuditEntry.Create<ModelVersion>(now, caller, "version.register", AuditSubjects.Version(version.Model, version.Version), null, version));
        if (card is not null)
        {
            var written = new ModelCard(version.Model, version.Version, card, now, caller.AuditName);
            entries.Add(AuditEntry.Create<ModelCard>(now, caller, "card.set", AuditSubjects.Version(version.Model, version.Version), null, written));
        }

        if (baseline is not null)
        {
            var summary = new Monitoring.Baselines.StoredBaseline(version.Model, version.Version, baseline, Monitoring.Baselines.BaselineSource.Reference, now, caller.AuditName).Summary();
            entries.Add(AuditEntry.Create(now, caller, "baseline.set", AuditSubjects.Version(version.Model, version.Version), null, summary));
        }

        return entries;
    }
}
