using Microsoft.Data.Sqlite;

namespace Escala.Server.Tests.Monitoring;

/// <summary>
/// The prediction log's durable mode, through the real server: an answer goes out only once its line is committed, so
/// the database file holds the line of every answer the caller has (a crash right after cannot lose it); the default
/// buffered mode answers first and commits a moment later.
/// </summary>
public sealed class DurableLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Durable", true)]
    [InlineData("Buffered", false)]
    public async Task In_durable_mode_every_answered_prediction_is_already_in_the_database_file(string mode, bool durable)
    {
        await using var world = await MonitoringWorld.StartAsync(null, null, new Dictionary<string, string?>
        {
            ["PredictionLog:Mode"] = mode,
            ["PredictionLog:Linger"] = "00:00:30",
        });
        await world.RegisterAsync();

        var served = await world.ServeAsync(24, seed: 700);
        Assert.Equal(24, served.Answered);

        // Read the file with a connection of our own, as a restarted server would after kill -9.
        var stored = StoredRequestIds(world.Server.DatabasePath);
        var missing = served.Answers.Count(a => !stored.Contains(a.RequestId));
        Assert.Equal(durable ? 0 : 24, missing);
    }

    private static HashSet<string> StoredRequestIds(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id FROM prediction_log;";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
