using System.Net;
using System.Text.RegularExpressions;
using Escala.Server.Storage;
using Escala.Testing;
using YamlDotNet.Serialization;

namespace Escala.Server.Tests.Hosting;

/// <summary>
/// The Kubernetes manifests in deploy/ and the Dockerfile point at things the server really has: the probe paths
/// answer on a running server without a key, the probe and service ports are the port the container listens on,
/// and the objects refer to each other by the right names.
/// </summary>
public sealed partial class DeployManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probe_paths_answer_on_the_real_server_and_probe_and_service_ports_are_the_listening_port()
    {
        var deployment = Manifest("deployment.yaml");
        Assert.Equal("Deployment", Text(deployment, "kind"));
        var pod = Map(deployment, "spec", "template", "spec");
        var container = Assert.Single(List(pod, "containers")).As();
        var port = Assert.Single(List(container, "ports")).As();
        var (portName, containerPort) = (Text(port, "name"), int.Parse(Text(port, "containerPort"), System.Globalization.CultureInfo.InvariantCulture));

        // The server listens where the container says it does.
        var args = List(container, "args").Select(a => (string)a).ToList();
        Assert.Equal("serve", args[0]);
        var urls = args[args.IndexOf("--urls") + 1];
        Assert.Equal(containerPort, new Uri(urls).Port);

        await using var server = await EscalaTestServer.StartAsync();
        using var anonymous = server.Client();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var get = Map(container, probe, "httpGet");
            Assert.Equal(portName, Text(get, "port"));
            using var response = await anonymous.GetAsync(Text(get, "path").TrimStart('/'), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} {Text(get, "path")} answered {(int)response.StatusCode}");
        }

        Assert.Equal("/v2/health/ready", Text(Map(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal("/v2/health/live", Text(Map(container, "livenessProbe", "httpGet"), "path"));

        var service = Manifest("service.yaml");
        Assert.Equal(portName, Text(Assert.Single(List(Map(service, "spec"), "ports")).As(), "targetPort"));

        // The image listens on the same port and checks the same liveness route.
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "Dockerfile"), Ct);
        Assert.Contains($"EXPOSE {containerPort}", dockerfile, StringComparison.Ordinal);
        Assert.Matches(HealthCheck(), dockerfile);
        Assert.Contains($"/dev/tcp/127.0.0.1/{containerPort}", dockerfile, StringComparison.Ordinal);
        Assert.Contains($"\"--urls\", \"{urls}\"", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_manifests_refer_to_each_other_and_the_secret_holds_a_postgres_store()
    {
        var deployment = Manifest("deployment.yaml");
        var name = Text(Map(deployment, "metadata"), "name");
        var labels = Map(deployment, "spec", "template", "metadata", "labels");
        Assert.Equal(labels, Map(deployment, "spec", "selector", "matchLabels"));
        Assert.Equal(labels, Map(Manifest("service.yaml"), "spec", "selector"));

        var pdb = Manifest("pdb.yaml");
        Assert.Equal("PodDisruptionBudget", Text(pdb, "kind"));
        Assert.Equal(labels, Map(pdb, "spec", "selector", "matchLabels"));
        // Kubernetes takes minAvailable or maxUnavailable, never both.
        Assert.Single(new[] { "minAvailable", "maxUnavailable" }, key => Map(pdb, "spec").ContainsKey(key));

        var hpa = Manifest("hpa.yaml");
        Assert.Equal(("Deployment", name), (Text(Map(hpa, "spec", "scaleTargetRef"), "kind"), Text(Map(hpa, "spec", "scaleTargetRef"), "name")));
        Assert.True(int.Parse(Text(Map(hpa, "spec"), "minReplicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);

        var container = Assert.Single(List(Map(deployment, "spec", "template", "spec"), "containers")).As();
        var sources = List(container, "envFrom").Select(s => s.As()).ToList();
        var secret = Manifest("secret.yaml");
        var configMap = Manifest("configmap.yaml");
        Assert.Contains(sources, s => s.ContainsKey("secretRef") && Text(Map(s, "secretRef"), "name") == Text(Map(secret, "metadata"), "name"));
        Assert.Contains(sources, s => s.ContainsKey("configMapRef") && Text(Map(s, "configMapRef"), "name") == Text(Map(configMap, "metadata"), "name"));
        Assert.Equal(StoreKind.Postgres, StoreLocation.Parse(Text(Map(secret, "stringData"), StoreLocation.EnvironmentVariable)).Kind);

        var security = Map(deployment, "spec", "template", "spec", "securityContext");
        Assert.Equal("true", Text(security, "runAsNonRoot"));
    }

    [GeneratedRegex(@"HEALTHCHECK[^\n]*\n[^\n]*GET /v2/health/live ")]
    private static partial Regex HealthCheck();

    private static Dictionary<object, object> Manifest(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", file));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(text);
    }

    private static Dictionary<object, object> Map(Dictionary<object, object> node, params string[] path)
    {
        foreach (var key in path)
        {
            Assert.True(node.TryGetValue(key, out var next), $"the manifest has no '{key}' where the test expects it");
            node = next.As();
        }

        return node;
    }

    private static List<object> List(Dictionary<object, object> node, string key) =>
        Assert.IsType<List<object>>(node[key]);

    private static string Text(Dictionary<object, object> node, string key) =>
        Assert.IsType<string>(node[key]);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Escala.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with Escala.slnx) is not above the test's folder.");
    }
}

internal static class YamlNodes
{
    public static Dictionary<object, object> As(this object node) => Assert.IsType<Dictionary<object, object>>(node);
}
