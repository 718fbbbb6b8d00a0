using System.Numerics.Tensors;
using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

public class VectorIndexTests
{
    static float[] Unit(Random r)
    {
        var v = Enumerable.Range(0, Embedder.Dimensions).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    static float[] Near(float[] v, Random r, double noise)
    {
        var w = v.Select(x => x + (float)((r.NextDouble() * 2 - 1) * noise)).ToArray();
        TensorPrimitives.Divide(w, TensorPrimitives.Norm(w), w);
        return w;
    }

    [Fact]
    public void TheShortlistFindsWhatAnExactScanFinds()
    {
        var r = new Random(1);
        var centres = Enumerable.Range(0, 50).Select(_ => Unit(r)).ToList();
        var index = new VectorIndex();
        index.Upsert(Enumerable.Range(0, 20_000).Select(i => ($"p{i}", Near(centres[i % 50], r, 0.15))).ToList());
        var overlap = 0.0;
        for (var q = 0; q < 50; q++)
        {
            var query = Near(centres[q], r, 0.2);
            var exact = index.SearchExact(query, 10).Select(h => h.Id).ToHashSet();
            overlap += index.Search(query, 10).Count(h => exact.Contains(h.Id)) / 10.0;
        }
        Assert.True(overlap / 50 >= 0.95, $"recall@10 {overlap / 50:F3}");
    }

    [Fact]
    public void UpsertReplacesAVectorAndGrowsWithoutLosingAny()
    {
        var r = new Random(2);
        var index = new VectorIndex();
        var first = Unit(r);
        index.Upsert([("a", first)]);
        for (var i = 0; i < 100; i++) index.Upsert([($"b{i}", Unit(r))]);
        Assert.Equal(101, index.Count);
        Assert.Equal("a", index.Search(first, 1)[0].Id);
        var moved = Unit(r);
        index.Upsert([("a", moved)]);
        Assert.Equal(101, index.Count);
        var hit = index.Search(moved, 1)[0];
        Assert.Equal("a", hit.Id);
        Assert.Equal(1.0, hit.Score, 2); // half precision keeps about three digits
        Assert.DoesNotContain(index.Search(moved, 5, exclude: "a"), h => h.Id == "a");
    }

    [Fact]
    public void AnEmptyIndexFindsNothing() => Assert.Empty(new VectorIndex().Search(Unit(new Random(3)), 10));
}
