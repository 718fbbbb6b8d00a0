using System.Numerics;
using System.Numerics.Tensors;

namespace DailyPapers.Search;

public sealed record VectorHit(string Id, float Score);

/// <summary>
/// Nearest-neighbour search over unit vectors, in process. Each vector is kept twice: as 384 sign bits (48 bytes,
/// for a Hamming-distance scan that touches little memory) and as half floats (768 bytes, for exact rescoring of
/// the shortlist). At 1M papers that is 816 MB instead of float32's 1.5 GB, and a query scans 48 MB instead of
/// 1.5 GB. Thread-safe: readers take a snapshot; writers append under a lock.
/// </summary>
public sealed class VectorIndex
{
    const int Words = Embedder.Dimensions / 64;
    readonly Lock writeLock = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> slots = new();
    Snapshot current = new([], [], [], 0);

    /// <summary>
    /// Fewest candidates the bit scan keeps for exact rescoring; a large index keeps one in 50. Rescoring 20,000
    /// half-float vectors costs about 5 ms, and near-duplicate papers need the depth: recall@10 against exact search
    /// was 0.95 at 100k with 1,000 candidates and 0.96 at 1M with 5,000.
    /// </summary>
    public int Shortlist { get; set; } = 1000;

    int ShortlistFor(int count) => Math.Max(Shortlist, count / 50);

    public int Count => current.Count;

    // Arrays grow by doubling and a snapshot publishes how much of them is filled, so readers never lock and
    // appending a few vectors to a million does not copy the million.
    sealed record Snapshot(string[] Ids, ulong[] Bits, Half[] Values, int Count);

    /// <summary>Adds or replaces vectors (unit length, Embedder.Dimensions each).</summary>
    public void Upsert(IReadOnlyList<(string Id, float[] Vector)> items)
    {
        lock (writeLock)
        {
            var s = current;
            var added = items.Select(i => i.Id).Where(id => !slots.ContainsKey(id)).Distinct().ToList();
            var count = s.Count + added.Count;
            if (count > s.Ids.Length) s = Grow(s, Math.Max(count, s.Ids.Length * 2));
            var next = s.Count;
            foreach (var id in added) s.Ids[next++] = id;
            for (var i = 0; i < added.Count; i++) slots[added[i]] = s.Count + i;
            foreach (var (id, vector) in items) Write(slots[id], vector, s.Bits, s.Values);
            current = s with { Count = count };
        }
    }

    /// <summary>Sizes the arrays for a known number of vectors, so a bulk load neither doubles past it nor copies.</summary>
    public void Reserve(int capacity)
    {
        lock (writeLock)
            if (capacity > current.Ids.Length) current = Grow(current, capacity);
    }

    static Snapshot Grow(Snapshot s, int capacity)
    {
        var ids = new string[capacity];
        var bits = new ulong[capacity * Words];
        var values = new Half[capacity * Embedder.Dimensions];
        s.Ids.AsSpan(0, s.Count).CopyTo(ids);
        s.Bits.AsSpan(0, s.Count * Words).CopyTo(bits);
        s.Values.AsSpan(0, s.Count * Embedder.Dimensions).CopyTo(values);
        return new Snapshot(ids, bits, values, s.Count);
    }

    static void Write(int slot, float[] vector, ulong[] bits, Half[] values)
    {
        if (vector.Length != Embedder.Dimensions) throw new ArgumentException($"vectors have {Embedder.Dimensions} dimensions, not {vector.Length}");
        TensorPrimitives.ConvertToHalf(vector, values.AsSpan(slot * Embedder.Dimensions, Embedder.Dimensions));
        for (var w = 0; w < Words; w++)
        {
            ulong word = 0;
            for (var b = 0; b < 64; b++) if (vector[w * 64 + b] > 0) word |= 1UL << b;
            bits[slot * Words + w] = word;
        }
    }

    /// <summary>The k nearest by cosine, best first; `exclude` is left out (a paper is not similar to itself).</summary>
    public IReadOnlyList<VectorHit> Search(float[] query, int k, string? exclude = null)
    {
        var s = current;
        if (s.Count == 0 || k <= 0) return [];
        var candidates = s.Count <= ShortlistFor(s.Count) ? Enumerable.Range(0, s.Count).ToArray() : ShortlistByBits(s, query);
        return Rescore(s, query, candidates, k, exclude);
    }

    /// <summary>Exact float search over every vector: the reference that recall is measured against.</summary>
    public IReadOnlyList<VectorHit> SearchExact(float[] query, int k) =>
        Rescore(current, query, Enumerable.Range(0, current.Count).ToArray(), k, null);

    int[] ShortlistByBits(Snapshot s, float[] query)
    {
        Span<ulong> q = stackalloc ulong[Words];
        for (var w = 0; w < Words; w++)
            for (var b = 0; b < 64; b++) if (query[w * 64 + b] > 0) q[w] |= 1UL << b;
        var n = s.Count;
        var distances = new byte[n]; // Hamming distance over 384 bits, scaled to fit a byte
        var qa = q.ToArray();
        Parallel.For(0, Environment.ProcessorCount, part =>
        {
            var (from, to) = (n * part / Environment.ProcessorCount, n * (part + 1) / Environment.ProcessorCount);
            for (var i = from; i < to; i++)
            {
                var d = 0;
                for (var w = 0; w < Words; w++) d += BitOperations.PopCount(s.Bits[i * Words + w] ^ qa[w]);
                distances[i] = (byte)(d >> 1);
            }
        });
        return Nearest(distances, ShortlistFor(n));
    }

    // Counting selection: distances are small integers, so a histogram finds the cut-off in one pass.
    static int[] Nearest(byte[] distances, int count)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var d in distances) histogram[d]++;
        var (cut, taken) = (0, 0);
        while (cut < 255 && taken + histogram[cut] < count) taken += histogram[cut++];
        var result = new List<int>(count + histogram[cut]);
        for (var i = 0; i < distances.Length; i++) if (distances[i] <= cut) result.Add(i);
        return [.. result];
    }

    static IReadOnlyList<VectorHit> Rescore(Snapshot s, float[] query, int[] candidates, int k, string? exclude)
    {
        // Top k by a bounded min-heap: linear in the shortlist, where sorting 20,000 scores cost milliseconds.
        var top = new PriorityQueue<int, float>(k + 1);
        var row = new float[Embedder.Dimensions];
        foreach (var c in candidates)
        {
            if (exclude is not null && s.Ids[c] == exclude) continue;
            TensorPrimitives.ConvertToSingle(s.Values.AsSpan(c * Embedder.Dimensions, Embedder.Dimensions), row);
            var score = TensorPrimitives.Dot(row, query);
            if (top.Count < k) top.Enqueue(c, score);
            else if (top.TryPeek(out _, out var least) && score > least) top.EnqueueDequeue(c, score);
        }
        var hits = new List<VectorHit>(top.Count);
        while (top.TryDequeue(out var c, out var score)) hits.Add(new VectorHit(s.Ids[c], score));
        hits.Reverse();
        return hits;
    }

    /// <summary>A paper's own stored vector, for "similar papers".</summary>
    public float[]? VectorOf(string id)
    {
        var s = current;
        if (!slots.TryGetValue(id, out var slot) || slot >= s.Count) return null;
        var v = new float[Embedder.Dimensions];
        TensorPrimitives.ConvertToSingle(s.Values.AsSpan(slot * Embedder.Dimensions, Embedder.Dimensions), v);
        return v;
    }
}
