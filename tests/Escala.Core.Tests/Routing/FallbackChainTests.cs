using Escala.Core.Routing;

namespace Escala.Core.Tests.Routing;

public sealed class FallbackChainTests
{
    [Fact]
    public void A_failed_primary_falls_back_to_the_fallback_version_then_the_default_answer_then_fails()
    {
        var chain = new FallbackChain(Primary: 0, FallbackVersion: 1, HasDefaultAnswer: true);

        var first = chain.First;
        var second = chain.After(first);
        var third = chain.After(second);
        var last = chain.After(third);

        Assert.Equal(new FallbackStep(FallbackStage.Try, 0, AnswerSource.Routed), first);
        Assert.Equal(new FallbackStep(FallbackStage.Try, 1, AnswerSource.FallbackVersion), second);
        Assert.Equal(FallbackStage.DefaultAnswer, third.Stage);
        Assert.Equal(FallbackStage.Fail, last.Stage);
    }

    [Fact]
    public void The_fallback_version_is_not_retried_when_it_is_the_version_that_failed()
    {
        var chain = new FallbackChain(Primary: 2, FallbackVersion: 2, HasDefaultAnswer: false);

        Assert.Equal(FallbackStage.Fail, chain.After(chain.First).Stage);
    }

    [Fact]
    public void Without_a_fallback_version_the_default_answer_follows_the_primary()
    {
        var chain = new FallbackChain(Primary: 0, FallbackVersion: -1, HasDefaultAnswer: true);

        Assert.Equal(FallbackStage.DefaultAnswer, chain.After(chain.First).Stage);
    }
}
