using System.Numerics.Tensors;
using DailyPapers.Search;

namespace DailyPapers.Tests.Search;

[Trait("Engine", "none")] // pure functions: no database, so test.sh runs them once, not again on PostgreSQL
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
    public void ASmallIndexReturnsWhatExactSearchReturns()
    {
        var r = new Random(4);
        var index = new VectorIndex(); // 600 rows: every row goes through the int8 stage, 200 of them are scored exactly
        index.Upsert(Enumerable.Range(0, 600).Select(i => ($"p{i}", Unit(r))).ToList());
        for (var q = 0; q < 20; q++)
        {
            var query = Unit(r);
            Assert.Equal(index.SearchExact(query, 10).Select(h => h.Id), index.Search(query, 10).Select(h => h.Id));
        }
    }

    [Fact]
    public void TheBitScanFindsEveryRowIncludingAPartialLastBlock()
    {
        var r = new Random(5);
        var index = new VectorIndex { Shortlist = 16, ShortlistShare = 0, Finalists = 16 };
        var vectors = Enumerable.Range(0, 1003).Select(_ => Unit(r)).ToList(); // 1003 = 125 blocks of 8 and 3 rows
        index.Upsert(vectors.Select((v, i) => ($"p{i}", v)).ToList());
        foreach (var i in new[] { 0, 7, 8, 500, 1000, 1002 }) Assert.Equal($"p{i}", index.Search(vectors[i], 1)[0].Id);
        var moved = Unit(r);
        index.Upsert([("p1002", moved)]);
        Assert.Equal("p1002", index.Search(moved, 1)[0].Id);
        Assert.NotEqual("p1002", index.Search(vectors[1002], 1)[0].Id);
    }

    [Fact]
    public void AStoredVectorComesBackWithinAThousandth()
    {
        var r = new Random(6);
        var v = Unit(r);
        var index = new VectorIndex();
        index.Upsert([("a", v)]);
        var back = index.VectorOf("a")!;
        Assert.True(v.Zip(back).Max(p => Math.Abs(p.First - p.Second)) < 1e-4);
        Assert.Null(index.VectorOf("b"));
    }

    [Fact]
    public void TheVectorKernelsAgreeWithTheScalarOnes()
    {
        var r = new Random(7);
        var bits = Enumerable.Range(0, 5 * VectorKernels.BlockWords).Select(_ => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 63)).ToArray();
        ulong[] query = [.. Enumerable.Range(0, 2 * VectorKernels.Words).Select(_ => (ulong)r.NextInt64())];
        var expected = new ushort[5 * VectorKernels.Block];
        VectorKernels.HammingScalar(bits, query, expected, 0, 5);
        var actual = new ushort[expected.Length];
        VectorKernels.Hamming(bits, query, actual, 0, 5);
        Assert.Equal(expected, actual);
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Array.Clear(actual);
            VectorKernels.Hamming256(bits, query, actual, 0, 5);
            Assert.Equal(expected, actual);
        }
        var codes = Enumerable.Range(0, Embedder.Dimensions).Select(_ => (sbyte)r.Next(-128, 128)).ToArray();
        var q = Enumerable.Range(0, Embedder.Dimensions).Select(_ => (short)r.Next(-32768, 32768)).ToArray();
        Assert.Equal(codes.Zip(q).Sum(p => p.First * p.Second), VectorKernels.Dot(codes, q));
    }

    [Fact]
    public void AnEmptyIndexFindsNothing() => Assert.Empty(new VectorIndex().Search(Unit(new Random(3)), 10));
}
