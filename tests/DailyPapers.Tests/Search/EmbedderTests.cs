using System.Numerics.Tensors;
using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class EmbedderTests
{
    readonly Embedder embedder = new(EmbeddingModel.MiniLM);

    [Fact]
    public void VectorsMatchTheReferencePipeline()
    {
        // The similarities the sentence-transformers README prints for all-MiniLM-L6-v2 on these three sentences.
        var v = embedder.Embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
        Assert.Equal(0.6660, TensorPrimitives.Dot(v[0], v[1]), 3);
        Assert.Equal(0.1046, TensorPrimitives.Dot(v[0], v[2]), 3);
        Assert.Equal(0.1411, TensorPrimitives.Dot(v[1], v[2]), 3);
        Assert.Equal(1.0, TensorPrimitives.Norm(v[0]), 4);
    }

    [Fact]
    public void ABatchGivesTheSameVectorsAsOneAtATime()
    {
        string[] texts = ["short", "a much longer sentence about diffusion models for video generation at scale"];
        var batch = embedder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(1.0, TensorPrimitives.Dot(batch[i], embedder.EmbedOne(texts[i])), 4);
    }
}

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
public class ArcticEmbedderTests
{
    readonly Embedder embedder = new(EmbeddingModel.ArcticXs);

    [Fact]
    public void QueriesWithTheInstructionFindTheRelevantPassage()
    {
        var docs = embedder.Embed([
            "We propose a diffusion model that generates high-resolution videos from text prompts.",
            "A reinforcement learning method improves the reasoning of large language models on math problems.",
            "We study the stock market reaction to interest rate announcements.",
        ]);
        var query = embedder.EmbedQuery("text-to-video generation");
        var scores = docs.Select(d => TensorPrimitives.Dot(query, d)).ToArray();
        Assert.Equal(0, Array.IndexOf(scores, scores.Max()));
        Assert.Equal(1.0, TensorPrimitives.Norm(query), 4);
        var math = embedder.EmbedQuery("RL for LLM math reasoning");
        Assert.Equal(1, docs.Select(d => TensorPrimitives.Dot(math, d)).ToList().IndexOf(docs.Max(d => TensorPrimitives.Dot(math, d))));
    }
}
