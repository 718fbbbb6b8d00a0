using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DailyPapers.Search;

/// <summary>
/// The two inner loops of VectorIndex, vectorised where the CPU allows and scalar elsewhere (same results).
/// Sign bits are stored in blocks of 8 rows, word-major (word w of rows 0..7, then word w+1), so one 512-bit
/// register holds one word of 8 rows and a block's 8 distances come out of 6 XORs without a horizontal sum.
/// </summary>
static class VectorKernels
{
    public const int Words = Embedder.Dimensions / 64;
    public const int Block = 8;
    public const int BlockWords = Words * Block;

    /// <summary>Index of row `row`'s word `w` in the blocked bit array.</summary>
    public static int BitIndex(int row, int w) => row / Block * BlockWords + w * Block + row % Block;

    /// <summary>
    /// Weighted Hamming distance of every row in blocks [fromBlock, toBlock) to the query: `query` holds the query's
    /// sign bits (Words) and then a mask of its heavier dimensions (Words), where a differing sign counts twice.
    /// </summary>
    public static void Hamming(ulong[] bits, ReadOnlySpan<ulong> query, ushort[] distances, int fromBlock, int toBlock)
    {
        if (Avx512BW.IsSupported) Hamming512(bits, query, distances, fromBlock, toBlock);
        else if (Avx2.IsSupported) Hamming256(bits, query, distances, fromBlock, toBlock);
        else HammingScalar(bits, query, distances, fromBlock, toBlock);
    }

    internal static void HammingScalar(ulong[] bits, ReadOnlySpan<ulong> query, ushort[] distances, int fromBlock, int toBlock)
    {
        for (var b = fromBlock; b < toBlock; b++)
            for (var j = 0; j < Block; j++)
            {
                var d = 0;
                for (var w = 0; w < Words; w++)
                {
                    var x = bits[b * BlockWords + w * Block + j] ^ query[w];
                    d += BitOperations.PopCount(x) + BitOperations.PopCount(x & query[Words + w]);
                }
                distances[b * Block + j] = (ushort)d;
            }
    }

    // No vector popcount in .NET's x86 API, so Mula's nibble lookup: two byte shuffles count a byte's bits, a byte
    // can sum 6 words twice (at most 96), and one SAD adds each row's 8 bytes.
    static readonly byte[] NibbleBits = [.. Enumerable.Range(0, 64).Select(i => (byte)BitOperations.PopCount((uint)(i % 16)))];

    internal static void Hamming512(ulong[] bits, ReadOnlySpan<ulong> query, ushort[] distances, int fromBlock, int toBlock)
    {
        var lut = Vector512.Create(NibbleBits);
        var (q0, q1, q2, q3, q4, q5) = (Vector512.Create(query[0]).AsByte(), Vector512.Create(query[1]).AsByte(), Vector512.Create(query[2]).AsByte(),
            Vector512.Create(query[3]).AsByte(), Vector512.Create(query[4]).AsByte(), Vector512.Create(query[5]).AsByte());
        var (m0, m1, m2, m3, m4, m5) = (Vector512.Create(query[6]).AsByte(), Vector512.Create(query[7]).AsByte(), Vector512.Create(query[8]).AsByte(),
            Vector512.Create(query[9]).AsByte(), Vector512.Create(query[10]).AsByte(), Vector512.Create(query[11]).AsByte());
        ref var output = ref MemoryMarshal.GetArrayDataReference(distances);
        ref var block = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bits), fromBlock * BlockWords);
        for (var b = fromBlock; b < toBlock; b++, block = ref Unsafe.Add(ref block, BlockWords))
        {
            // Unrolled over the row's 6 words: the JIT keeps the loop's query vectors in registers only this way.
            var sum = Bits512(lut, Vector512.LoadUnsafe(ref block, 0).AsByte() ^ q0, m0) + Bits512(lut, Vector512.LoadUnsafe(ref block, 8).AsByte() ^ q1, m1)
                + Bits512(lut, Vector512.LoadUnsafe(ref block, 16).AsByte() ^ q2, m2) + Bits512(lut, Vector512.LoadUnsafe(ref block, 24).AsByte() ^ q3, m3)
                + Bits512(lut, Vector512.LoadUnsafe(ref block, 32).AsByte() ^ q4, m4) + Bits512(lut, Vector512.LoadUnsafe(ref block, 40).AsByte() ^ q5, m5);
            var d = Avx512F.ConvertToVector128UInt16(Avx512BW.SumAbsoluteDifferences(sum, Vector512<byte>.Zero).AsUInt64());
            d.StoreUnsafe(ref output, (nuint)(b * Block));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<byte> Bits512(Vector512<byte> lut, Vector512<byte> x, Vector512<byte> heavy) => Count512(lut, x) + Count512(lut, x & heavy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<byte> Count512(Vector512<byte> lut, Vector512<byte> x) =>
        Avx512BW.Shuffle(lut, x & Vector512.Create((byte)0x0f)) + Avx512BW.Shuffle(lut, Vector512.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & Vector512.Create((byte)0x0f));

    internal static void Hamming256(ulong[] bits, ReadOnlySpan<ulong> query, ushort[] distances, int fromBlock, int toBlock)
    {
        var lut = Vector256.Create(NibbleBits.AsSpan(0, 32));
        var low = Vector256.Create((byte)0x0f);
        Span<Vector256<byte>> q = stackalloc Vector256<byte>[2 * Words];
        for (var w = 0; w < 2 * Words; w++) q[w] = Vector256.Create(query[w]).AsByte();
        ref var start = ref MemoryMarshal.GetArrayDataReference(bits);
        for (var b = fromBlock; b < toBlock; b++)
            for (var half = 0; half < 2; half++)
            {
                ref var block = ref Unsafe.Add(ref start, b * BlockWords + half * 4);
                var sum = Vector256<byte>.Zero;
                for (var w = 0; w < Words; w++)
                {
                    var x = Vector256.LoadUnsafe(ref block, (nuint)(w * Block)).AsByte() ^ q[w];
                    var heavy = x & q[Words + w];
                    sum += Avx2.Shuffle(lut, x & low) + Avx2.Shuffle(lut, Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low)
                        + Avx2.Shuffle(lut, heavy & low) + Avx2.Shuffle(lut, Vector256.ShiftRightLogical(heavy.AsUInt16(), 4).AsByte() & low);
                }
                var d = Avx2.SumAbsoluteDifferences(sum, Vector256<byte>.Zero).AsUInt64();
                for (var j = 0; j < 4; j++) distances[b * Block + half * 4 + j] = (ushort)d.GetElement(j);
            }
    }

    /// <summary>Σ codes[i]·query[i] over one row of int8 codes and an int16 query.</summary>
    public static int Dot(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query)
    {
        ref var c = ref MemoryMarshal.GetReference(codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        if (Avx512BW.IsSupported)
        {
            var acc = Vector512<int>.Zero;
            for (var i = 0; i < Embedder.Dimensions; i += 64)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref c, (nuint)i));
                acc += Avx512BW.MultiplyAddAdjacent(lo, Vector512.LoadUnsafe(ref q, (nuint)i));
                acc += Avx512BW.MultiplyAddAdjacent(hi, Vector512.LoadUnsafe(ref q, (nuint)(i + 32)));
            }
            return Vector512.Sum(acc);
        }
        if (Avx2.IsSupported)
        {
            var acc = Vector256<int>.Zero;
            for (var i = 0; i < Embedder.Dimensions; i += 32)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref c, (nuint)i));
                acc += Avx2.MultiplyAddAdjacent(lo, Vector256.LoadUnsafe(ref q, (nuint)i));
                acc += Avx2.MultiplyAddAdjacent(hi, Vector256.LoadUnsafe(ref q, (nuint)(i + 16)));
            }
            return Vector256.Sum(acc);
        }
        var sum = 0;
        for (var i = 0; i < Embedder.Dimensions; i++) sum += codes[i] * query[i];
        return sum;
    }
}
