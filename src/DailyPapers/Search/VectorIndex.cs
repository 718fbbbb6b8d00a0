using System.Numerics;
using System.Numerics.Tensors;

namespace DailyPapers.Search;

public sealed record VectorHit(string Id, float Score);

/// <summary>
/// Nearest-neighbour search over unit vectors, in process, in three stages. Each vector is kept as 384 sign bits (48
/// bytes) for a Hamming scan of every row that touches little memory, and as a 16-bit code per dimension with one
/// scale per row, split into a high byte and a low byte kept in two arrays (384 bytes each): the high bytes alone
/// (an int8 code) re-rank the scan's shortlist at half the memory traffic, and both score the last few hundred
/// more precisely than the half floats kept before. 820 bytes a vector, as before; 780 MB at 1M.
/// Thread-safe: readers take a snapshot; writers append under a lock.
/// </summary>
public sealed class VectorIndex
{
    const int Dims = Embedder.Dimensions;
    const int Words = VectorKernels.Words;
    readonly Lock writeLock = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> slots = new();
    Snapshot current = new([], [], [], [], [], 0);

    /// <summary>Fewest candidates the bit scan keeps for the int8 stage.</summary>
    public int Shortlist { get; set; } = 1000;

    /// <summary>
    /// Share of a large index that the bit scan keeps. Near-duplicate papers need the depth (bench vectors, recall@10
    /// against exact float search on real vectors plus noise): one in 100 kept 0.996 at 1M, one in 200 0.988; with
    /// plain rather than weighted Hamming distance one in 100 kept 0.979 and 1,000 at 100k only 0.944.
    /// </summary>
    public double ShortlistShare { get; set; } = 0.01;

    /// <summary>How many of the int8 stage's best are scored exactly (at least k).</summary>
    public int Finalists { get; set; } = 200;

    /// <summary>
    /// Rows from which the bit scan is split over the cores: never by default. On the 2 shared cores measured (bench
    /// vectors) two threads were no faster at 100k and slower at 1M, and a server's other requests want the core.
    /// </summary>
    public int ParallelFrom { get; set; } = int.MaxValue;

    int ShortlistFor(int count) => Math.Max(Shortlist, (int)(count * ShortlistShare));

    public int Count => current.Count;

    // Arrays grow by doubling and a snapshot publishes how much of them is filled, so readers never lock and
    // appending a few vectors to a million does not copy the million.
    sealed record Snapshot(string[] Ids, ulong[] Bits, sbyte[] High, sbyte[] Low, float[] Scales, int Count);

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
            foreach (var (id, vector) in items) Write(slots[id], vector, s);
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
        var blocks = (capacity + VectorKernels.Block - 1) / VectorKernels.Block;
        var next = new Snapshot(new string[capacity], new ulong[blocks * VectorKernels.BlockWords], new sbyte[capacity * Dims],
            new sbyte[capacity * Dims], new float[capacity], s.Count);
        s.Ids.AsSpan(0, s.Count).CopyTo(next.Ids);
        s.Bits.CopyTo(next.Bits, 0);
        s.High.AsSpan(0, s.Count * Dims).CopyTo(next.High);
        s.Low.AsSpan(0, s.Count * Dims).CopyTo(next.Low);
        s.Scales.AsSpan(0, s.Count).CopyTo(next.Scales);
        return next;
    }

    static void Write(int slot, float[] vector, Snapshot s)
    {
        if (vector.Length != Dims) throw new ArgumentException($"vectors have {Dims} dimensions, not {vector.Length}");
        // Codes span ±127·256, so the high byte, rounded, is a full int8 code and the low byte the remainder.
        var scale = Math.Abs(TensorPrimitives.MaxMagnitude(vector)) / (127 * 256);
        s.Scales[slot] = scale > 0 ? scale : 1;
        for (var i = 0; i < Dims; i++)
        {
            var code = (int)Math.Round(vector[i] / s.Scales[slot]);
            var high = (code + 128) >> 8;
            s.High[slot * Dims + i] = (sbyte)high;
            s.Low[slot * Dims + i] = (sbyte)(code - (high << 8));
        }
        for (var w = 0; w < Words; w++)
        {
            ulong word = 0;
            for (var b = 0; b < 64; b++) if (vector[w * 64 + b] > 0) word |= 1UL << b;
            s.Bits[VectorKernels.BitIndex(slot, w)] = word;
        }
    }

    /// <summary>The k nearest by cosine, best first; `exclude` is left out (a paper is not similar to itself).</summary>
    public IReadOnlyList<VectorHit> Search(float[] query, int k, string? exclude = null)
    {
        var s = current;
        if (s.Count == 0 || k <= 0) return [];
        var depth = ShortlistFor(s.Count);
        var candidates = s.Count <= depth ? Enumerable.Range(0, s.Count).ToArray() : ShortlistByBits(s, query, depth);
        var finalists = Math.Max(k, Finalists);
        if (candidates.Length > finalists) candidates = ByCodes(s, query, candidates, finalists, exclude);
        return Rescore(s, query, candidates, k, exclude);
    }

    /// <summary>Exact search over every vector (16-bit codes): the reference that recall is measured against.</summary>
    public IReadOnlyList<VectorHit> SearchExact(float[] query, int k) =>
        Rescore(current, query, Enumerable.Range(0, current.Count).ToArray(), k, null);

    int[] ShortlistByBits(Snapshot s, float[] query, int depth)
    {
        // Signs of the query's heavier half count twice: a sign differing where the query is near zero moves the
        // cosine little, and plain Hamming distance could not tell the two apart.
        var q = new ulong[2 * Words];
        var median = query.Select(Math.Abs).Order().ElementAt(Dims / 2);
        for (var w = 0; w < Words; w++)
            for (var b = 0; b < 64; b++)
            {
                if (query[w * 64 + b] > 0) q[w] |= 1UL << b;
                if (Math.Abs(query[w * 64 + b]) >= median) q[Words + w] |= 1UL << b;
            }
        var blocks = (s.Count + VectorKernels.Block - 1) / VectorKernels.Block;
        var distances = System.Buffers.ArrayPool<ushort>.Shared.Rent(blocks * VectorKernels.Block);
        try
        {
            var parts = s.Count >= ParallelFrom ? Environment.ProcessorCount : 1;
            if (parts == 1) VectorKernels.Hamming(s.Bits, q, distances, 0, blocks);
            else Parallel.For(0, parts, p => VectorKernels.Hamming(s.Bits, q, distances, blocks * p / parts, blocks * (p + 1) / parts));
            return Nearest(distances, s.Count, depth);
        }
        finally { System.Buffers.ArrayPool<ushort>.Shared.Return(distances); }
    }

    // Counting selection: distances are small integers, so a histogram finds the cut-off, and a vector compare skips
    // the 98% of rows beyond it. The histogram counts one row in 8 (rows are in no particular order): a full count
    // cost as much as the scan's arithmetic, and the shortlist's length is a budget, not a promise.
    const int Sample = 8;

    static int[] Nearest(ushort[] distances, int n, int count)
    {
        Span<int> histogram = stackalloc int[2 * Dims + 1];
        for (var i = 0; i < n; i += Sample) histogram[distances[i]]++;
        var (cut, taken) = (0, 0);
        while (cut < 2 * Dims && (taken + histogram[cut]) * Sample < count) taken += histogram[cut++];
        var result = new List<int>(taken + histogram[cut]);
        var limit = new Vector<ushort>((ushort)cut);
        var i0 = 0;
        for (; i0 + Vector<ushort>.Count <= n; i0 += Vector<ushort>.Count)
            if (Vector.LessThanOrEqualAny(new Vector<ushort>(distances, i0), limit))
                for (var i = i0; i < i0 + Vector<ushort>.Count; i++) if (distances[i] <= cut) result.Add(i);
        for (var i = i0; i < n; i++) if (distances[i] <= cut) result.Add(i);
        return [.. result];
    }

    // The query as 16-bit integers, and the factor that turns integer dot products back into cosines.
    static (short[] Codes, float Scale) Quantise(float[] query)
    {
        var q = new short[Dims];
        var scale = Math.Abs(TensorPrimitives.MaxMagnitude(query)) / short.MaxValue;
        if (scale == 0) scale = 1;
        for (var i = 0; i < Dims; i++) q[i] = (short)Math.Round(query[i] / scale);
        return (q, scale);
    }

    // The high bytes (int8 codes) against the int16 query: ranks the shortlist with an error near 0.001 in cosine,
    // reading 384 bytes a row where half floats read 768 and had to be converted.
    static int[] ByCodes(Snapshot s, float[] query, int[] candidates, int count, string? exclude)
    {
        var (q, _) = Quantise(query);
        var top = new PriorityQueue<int, float>(count + 1);
        foreach (var c in candidates)
        {
            if (exclude is not null && s.Ids[c] == exclude) continue;
            var score = s.Scales[c] * VectorKernels.Dot(s.High.AsSpan(c * Dims, Dims), q);
            if (top.Count < count) top.Enqueue(c, score);
            else if (top.TryPeek(out _, out var least) && score > least) top.EnqueueDequeue(c, score);
        }
        var result = new int[top.Count];
        for (var i = 0; top.TryDequeue(out var c, out _); i++) result[i] = c;
        return result;
    }

    static IReadOnlyList<VectorHit> Rescore(Snapshot s, float[] query, int[] candidates, int k, string? exclude)
    {
        // Top k by a bounded min-heap: linear in the candidates, where sorting 20,000 scores cost milliseconds.
        var (q, scale) = Quantise(query);
        var top = new PriorityQueue<int, float>(k + 1);
        foreach (var c in candidates)
        {
            if (exclude is not null && s.Ids[c] == exclude) continue;
            var dot = 256L * VectorKernels.Dot(s.High.AsSpan(c * Dims, Dims), q) + VectorKernels.Dot(s.Low.AsSpan(c * Dims, Dims), q);
            var score = (float)(dot * (double)s.Scales[c] * scale);
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
        var v = new float[Dims];
        for (var i = 0; i < Dims; i++) v[i] = (s.High[slot * Dims + i] * 256 + s.Low[slot * Dims + i]) * s.Scales[slot];
        return v;
    }
}
