namespace Escala.Testing;

/// <summary>
/// Waits for something that happens in the background (a job, a flush, a notification from another
/// node) with a bounded wait, instead of sleeping a guessed time: fast when the machine is fast, and
/// still correct when it is loaded.
/// </summary>
public static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? what = null)
    {
        await UntilAsync(() => Task.FromResult(condition()), timeout, what);
    }

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up after {timeout.TotalSeconds:0.#} s waiting for {what ?? "the condition"}.");
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }
}
