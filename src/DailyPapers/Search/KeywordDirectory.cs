using System.Buffers.Binary;
using Lucene.Net.Store;

namespace DailyPapers.Search;

/// <summary>
/// The keyword index's folder, read from memory: each file a search opens is read whole into one array, and every
/// clone and slice of it shares that array. Lucene.NET 4.8's MMapDirectory registers each clone in a table under a
/// lock and reads every byte through a MemoryMappedViewAccessor call; a query clones an input for every word in every
/// segment, so under 16 connections that lock and those calls were a fifth of a keyword search (docs/benchmarks.md).
/// Lucene writes each file once and never changes it, so a copy read at open stays true. Writing and merging go
/// through the memory map as before (a merge reads each file once, and copying it first would only cost memory).
/// An index larger than InMemoryLimit is left memory-mapped: its files would not fit the memory goal.
/// </summary>
public sealed class KeywordDirectory(string path) : MMapDirectory(new DirectoryInfo(path))
{
    /// <summary>Above this size (the 1M-paper index is 446 MB) the folder is memory-mapped instead.</summary>
    public const long InMemoryLimit = 1L << 30;

    /// <summary>The folder as a KeywordDirectory when it fits InMemoryLimit, else Lucene's memory map.</summary>
    public static FSDirectory OpenFolder(string path)
    {
        var size = System.IO.Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles().Sum(f => f.Length) : 0;
        return size <= InMemoryLimit ? new KeywordDirectory(path) : FSDirectory.Open(path);
    }

    public override IndexInput OpenInput(string name, IOContext context)
    {
        if (context.Context == IOContext.UsageContext.MERGE) return base.OpenInput(name, context);
        EnsureOpen();
        var file = Path.Combine(Directory.FullName, name);
        var bytes = File.ReadAllBytes(file);
        return new MemoryInput($"KeywordDirectory({file})", bytes, 0, bytes.Length);
    }

    public override IndexInputSlicer CreateSlicer(string name, IOContext context)
    {
        if (context.Context == IOContext.UsageContext.MERGE) return base.CreateSlicer(name, context);
        EnsureOpen();
        var file = Path.Combine(Directory.FullName, name);
        return new Slicer(file, File.ReadAllBytes(file));
    }

    sealed class Slicer(string file, byte[] bytes) : IndexInputSlicer
    {
        public override IndexInput OpenSlice(string sliceDescription, long offset, long length)
        {
            if (offset < 0 || length < 0 || offset + length > bytes.Length)
                throw new ArgumentException($"slice {sliceDescription} out of bounds: offset={offset}, length={length}, file length={bytes.Length}");
            return new MemoryInput($"KeywordDirectory({file} [slice={sliceDescription}])", bytes, (int)offset, (int)length);
        }

        [Obsolete("Only for reading CFS files from 3.x indexes.")]
        public override IndexInput OpenFullSlice() => OpenSlice("full-slice", 0, bytes.Length);

        protected override void Dispose(bool disposing) { }
    }

    /// <summary>
    /// An input over part of an array. A clone is a plain copy of the fields (IndexInput.Clone is MemberwiseClone), so
    /// cloning takes no lock. Numbers are big-endian, as Lucene writes them.
    /// </summary>
    sealed class MemoryInput : IndexInput
    {
        readonly byte[] bytes;
        readonly int start, end, length;
        int position;

        public MemoryInput(string description, byte[] bytes, int start, int length) : base(description) =>
            (this.bytes, this.start, this.length, end, position) = (bytes, start, length, start + length, start);

        public override long Length => length;

        public override long Position => position - start;

        public override void Seek(long pos)
        {
            if (pos < 0 || pos > length) throw new EndOfStreamException($"seek past EOF ({pos} of {length}): {this}");
            position = start + (int)pos;
        }

        public override byte ReadByte()
        {
            if (position >= end) throw new EndOfStreamException($"read past EOF: {this}");
            return bytes[position++];
        }

        public override void ReadBytes(byte[] b, int offset, int len)
        {
            if (len > end - position) throw new EndOfStreamException($"read past EOF: {this}");
            Buffer.BlockCopy(bytes, position, b, offset, len);
            position += len;
        }

        public override short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

        public override int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public override long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        ReadOnlySpan<byte> Take(int count)
        {
            if (count > end - position) throw new EndOfStreamException($"read past EOF: {this}");
            var span = bytes.AsSpan(position, count);
            position += count;
            return span;
        }

        protected override void Dispose(bool disposing) { }
    }
}
