using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using DailyPapers.Data;
using DailyPapers.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// VectorIndex alone, against the scan it replaced (kept below as BaselineIndex, measured in the same run, one
/// variant after the other; on a shared machine compare the CPU column, which waiting for a core does not inflate). Corpora as in search-speed: the real vectors at 10k, and beyond that
/// real vectors plus Gaussian noise (same seed and noise). Queries: the 500 keyword-pair known-item queries, embedded
/// once with the app's Embedder, whose cost is reported on its own row. Recall@10 is against an exact float32 scan.
/// </summary>
static class VectorBench
{
    const int Queries = 500;
    const int RecallQueries = 200;

    public static async Task<int> RunAsync(string file, IReadOnlyList<int> sizes, bool random)
    {
        var (real, queries, embedTimes) = random ? RandomInputs() : await RealInputsAsync(file);
        Console.WriteLine($"{Environment.ProcessorCount} cores; Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, AVX-512BW {System.Runtime.Intrinsics.X86.Avx512BW.IsSupported}; {(random ? "random unit vectors" : $"{real.Count:N0} real vectors")}, {queries.Count} queries");
        if (embedTimes.Count > 0)
            Console.WriteLine($"query embedding (Embedder.EmbedQuery, one query): p50 {P(embedTimes, 50):F1} ms, p95 {P(embedTimes, 95):F1} ms, p99 {P(embedTimes, 99):F1} ms");
        Console.WriteLine($"| {"vectors",9} | {"index",-44} | {"p50 ms",7} | {"p95 ms",7} | {"p99 ms",7} | {"CPU ms",7} | {"recall@10",9} | {"MiB",6} |");
        Console.WriteLine($"|-----------|{new string('-', 46)}|---------|---------|---------|---------|-----------|--------|");
        foreach (var size in sizes) Run(real, queries, size);
        return 0;
    }

    static void Run(List<float[]> real, List<float[]> queries, int size)
    {
        var flat = Corpus(real, size);
        var ids = Enumerable.Range(0, size).Select(Id).ToArray();
        var (baseline, baselineBytes) = Measure(() => { var b = new BaselineIndex(); Fill(b.Reserve, b.Upsert, flat, ids); return b; });
        var (index, indexBytes) = Measure(() => { var v = new VectorIndex(); Fill(v.Reserve, v.Upsert, flat, ids); return v; });
        var exact = queries.Take(RecallQueries).Select(q => Exact(flat, q, 10).Select(i => ids[i]).ToHashSet()).ToList();
        var variants = new List<(string Name, Action Set, Func<float[], IReadOnlyList<VectorHit>> Search, long Bytes)>
        {
            ("baseline: Hamming scan, n/50 half-float rescore", () => { }, q => baseline.Search(q, 10), baselineBytes),
            ("new (defaults)", () => { }, q => index.Search(q, 10), indexBytes),
            ("new, bit scan on two threads", () => index.ParallelFrom = 0, q => index.Search(q, 10), indexBytes),
            ("new, shortlist n/50", () => index.ShortlistShare = 0.02, q => index.Search(q, 10), indexBytes),
            ("new, shortlist n/200", () => index.ShortlistShare = 0.005, q => index.Search(q, 10), indexBytes),
            ("new, 50 finalists", () => index.Finalists = 50, q => index.Search(q, 10), indexBytes),
            ("new, high bytes only (10 finalists)", () => index.Finalists = 10, q => index.Search(q, 10), indexBytes),
        };
        var defaults = (index.Shortlist, index.ShortlistShare, index.Finalists, index.ParallelFrom);
        foreach (var (name, set, search, bytes) in variants)
        {
            (index.Shortlist, index.ShortlistShare, index.Finalists, index.ParallelFrom) = defaults;
            set();
            var recall = exact.Select((e, i) => search(queries[i]).Count(h => e.Contains(h.Id)) / 10.0).Average();
            var (times, cpuMs) = Time(queries, search);
            if (name.StartsWith("baseline")) Console.Error.WriteLine($"  baseline stages at {size:N0}, ms a query: {baseline.Stages()}");
            Console.WriteLine($"| {size,9:N0} | {name,-44} | {P(times, 50),7:F2} | {P(times, 95),7:F2} | {P(times, 99),7:F2} | {cpuMs,7:F2} | {recall,9:F3} | {bytes / (1 << 20),6:N0} |");
        }
        GC.KeepAlive(baseline);
        GC.KeepAlive(index);
    }

    // Wall time per query, and the process's CPU time per query: on a shared machine the first includes waiting
    // for a core, the second does not (but counts the work of every thread).
    static (List<double> Times, double CpuMs) Time(List<float[]> queries, Func<float[], IReadOnlyList<VectorHit>> search)
    {
        foreach (var q in queries.Take(20)) search(q); // warm-up
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var times = new List<double>();
        foreach (var q in queries)
        {
            var clock = Stopwatch.StartNew();
            search(q);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / times.Count);
    }

    static async Task<(List<float[]> Real, List<float[]> Queries, List<double> EmbedTimes)> RealInputsAsync(string file)
    {
        var tasks = KnownItems.Load(file).Take(Queries).ToList();
        await using var app = await BenchHost.RealCorpusAsync(file);
        List<float[]> real;
        await using (var scope = app.Services.CreateAsyncScope())
            real = (await scope.ServiceProvider.GetRequiredService<AppDb>().PaperVectors.AsNoTracking().OrderBy(v => v.PaperId)
                .Select(v => v.Vector).ToListAsync()).Select(Embeddings.FromBytes).ToList();
        var embedder = app.Services.GetRequiredService<Embedder>();
        foreach (var (q, _) in tasks.Take(20)) embedder.EmbedQuery(q); // warm-up
        var (queries, times) = (new List<float[]>(), new List<double>());
        foreach (var (q, _) in tasks)
        {
            var clock = Stopwatch.StartNew();
            queries.Add(embedder.EmbedQuery(q));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (real, queries, times);
    }

    // Without the embedded corpus: random unit vectors, and queries near some of them.
    static (List<float[]>, List<float[]>, List<double>) RandomInputs()
    {
        var random = new Random(5);
        var real = Enumerable.Range(0, 10_000).Select(_ => Unit(Enumerable.Range(0, Embedder.Dimensions).Select(_ => (float)Gaussian(random)).ToArray())).ToList();
        var queries = Enumerable.Range(0, Queries).Select(_ => Unit(real[random.Next(real.Count)].Select(x => x + (float)(Gaussian(random) * 0.05)).ToArray())).ToList();
        return (real, queries, []);
    }

    // The search-speed recipe (FillVectors): at most the real vectors, else each one near a random real one.
    static float[] Corpus(List<float[]> real, int size)
    {
        var flat = new float[(long)size * Embedder.Dimensions];
        var random = new Random(11);
        for (var n = 0; n < size; n++)
        {
            var row = flat.AsSpan(n * Embedder.Dimensions, Embedder.Dimensions);
            if (size <= real.Count) { real[n].CopyTo(row); continue; }
            real[random.Next(real.Count)].CopyTo(row);
            for (var d = 0; d < row.Length; d++) row[d] += (float)(Gaussian(random) * 0.025);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }
        return flat;
    }

    static string Id(int n) => $"{30 + n / 1_200_000}{n / 100_000 % 12 + 1:D2}.{n % 100_000:D5}";

    static void Fill(Action<int> reserve, Action<IReadOnlyList<(string, float[])>> upsert, float[] flat, string[] ids)
    {
        reserve(ids.Length);
        for (var start = 0; start < ids.Length; start += 50_000)
            upsert(Enumerable.Range(start, Math.Min(50_000, ids.Length - start))
                .Select(n => (ids[n], flat.AsSpan(n * Embedder.Dimensions, Embedder.Dimensions).ToArray())).ToList());
    }

    static (T, long) Measure<T>(Func<T> build)
    {
        var before = GC.GetTotalMemory(true);
        var built = build();
        return (built, GC.GetTotalMemory(true) - before);
    }

    static int[] Exact(float[] flat, float[] query, int k)
    {
        var top = new PriorityQueue<int, float>(k + 1);
        for (var n = 0; n < flat.Length / Embedder.Dimensions; n++)
        {
            var score = TensorPrimitives.Dot(flat.AsSpan(n * Embedder.Dimensions, Embedder.Dimensions), query);
            if (top.Count < k) top.Enqueue(n, score);
            else if (top.TryPeek(out _, out var least) && score > least) top.EnqueueDequeue(n, score);
        }
        return [.. top.UnorderedItems.Select(x => x.Element)];
    }

    static float[] Unit(float[] v)
    {
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    static double P(List<double> times, int percentile)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}

/// <summary>
/// VectorIndex as it was before the vectorised scan (commit ff8ecdc), reduced to what the bench calls: 384 sign bits
/// a row scanned with scalar popcount over two threads, then the nearest max(1000, n/50) rescored from half floats.
/// </summary>
sealed class BaselineIndex
{
    const int Words = Embedder.Dimensions / 64;
    readonly Dictionary<string, int> slots = [];
    string[] ids = [];
    ulong[] bits = [];
    Half[] values = [];
    int count;

    public void Reserve(int capacity)
    {
        Array.Resize(ref ids, capacity);
        Array.Resize(ref bits, capacity * Words);
        Array.Resize(ref values, capacity * Embedder.Dimensions);
    }

    public void Upsert(IReadOnlyList<(string Id, float[] Vector)> items)
    {
        foreach (var (id, vector) in items)
        {
            if (!slots.TryGetValue(id, out var slot)) { slot = slots[id] = count++; ids[slot] = id; }
            TensorPrimitives.ConvertToHalf(vector, values.AsSpan(slot * Embedder.Dimensions, Embedder.Dimensions));
            for (var w = 0; w < Words; w++)
            {
                ulong word = 0;
                for (var b = 0; b < 64; b++) if (vector[w * 64 + b] > 0) word |= 1UL << b;
                bits[slot * Words + w] = word;
            }
        }
    }

    int ShortlistFor(int n) => Math.Max(1000, n / 50);

    // Where its time goes, summed over calls: sign scan, selection, half-float rescoring.
    readonly long[] ticks = new long[3];
    int calls;

    public string Stages() => string.Join(", ", new[] { "scan", "selection", "rescoring" }.Select((name, i) =>
        $"{name} {ticks[i] * 1000.0 / Stopwatch.Frequency / Math.Max(1, calls):F2}"));

    public IReadOnlyList<VectorHit> Search(float[] query, int k)
    {
        var candidates = count <= ShortlistFor(count) ? Enumerable.Range(0, count).ToArray() : ShortlistByBits(query);
        var start = Stopwatch.GetTimestamp();
        var hits = Rescore(query, candidates, k);
        ticks[2] += Stopwatch.GetTimestamp() - start;
        calls++;
        return hits;
    }

    int[] ShortlistByBits(float[] query)
    {
        Span<ulong> q = stackalloc ulong[Words];
        for (var w = 0; w < Words; w++)
            for (var b = 0; b < 64; b++) if (query[w * 64 + b] > 0) q[w] |= 1UL << b;
        var n = count;
        var distances = new byte[n];
        var qa = q.ToArray();
        var all = bits;
        var start = Stopwatch.GetTimestamp();
        Parallel.For(0, Environment.ProcessorCount, part =>
        {
            var (from, to) = (n * part / Environment.ProcessorCount, n * (part + 1) / Environment.ProcessorCount);
            for (var i = from; i < to; i++)
            {
                var d = 0;
                for (var w = 0; w < Words; w++) d += BitOperations.PopCount(all[i * Words + w] ^ qa[w]);
                distances[i] = (byte)(d >> 1);
            }
        });
        var scanned = Stopwatch.GetTimestamp();
        var nearest = Nearest(distances, ShortlistFor(n));
        (ticks[0], ticks[1]) = (ticks[0] + scanned - start, ticks[1] + Stopwatch.GetTimestamp() - scanned);
        return nearest;
    }

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

    IReadOnlyList<VectorHit> Rescore(float[] query, int[] candidates, int k)
    {
        var top = new PriorityQueue<int, float>(k + 1);
        var row = new float[Embedder.Dimensions];
        foreach (var c in candidates)
        {
            TensorPrimitives.ConvertToSingle(values.AsSpan(c * Embedder.Dimensions, Embedder.Dimensions), row);
            var score = TensorPrimitives.Dot(row, query);
            if (top.Count < k) top.Enqueue(c, score);
            else if (top.TryPeek(out _, out var least) && score > least) top.EnqueueDequeue(c, score);
        }
        var hits = new List<VectorHit>(top.Count);
        while (top.TryDequeue(out var c, out var score)) hits.Add(new VectorHit(ids[c], score));
        hits.Reverse();
        return hits;
    }
}
