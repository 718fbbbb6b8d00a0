using System.Numerics.Tensors;
using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

public class EmbedderTests
{
    readonly Embedder embedder = new();

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
