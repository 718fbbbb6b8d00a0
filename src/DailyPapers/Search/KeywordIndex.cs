using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace DailyPapers.Search;

/// <summary>
/// The keyword index on disk: {DataDir}/search/{folder}, where the file `current` names the folder in use, so
/// `reindex` builds a new folder and swaps by renaming one small file. The process that holds the index's write lock
/// applies changes (see KeywordFeed); any other process (a CLI command beside a running server) reads the last commit.
/// Readers never block: a SearcherManager hands out point-in-time searchers and refreshes after each commit.
/// </summary>
public sealed class KeywordIndex(IOptions<AppOptions> options, ILogger<KeywordIndex> log) : IDisposable
{
    public static readonly Similarity Similarity = new BM25Similarity();

    /// <summary>Held while changes are applied or the index is swapped: one writer at a time in this process.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>
    /// The database's version (Web.DataVersion) when nothing was last found waiting past the cursor: while it stays
    /// the same, nothing can be waiting, and KeywordFeed skips its query.
    /// </summary>
    public Web.DataVersion.Stamp? EmptyOutboxAt { get; set; }

    Opened? open;
    DateTime pointerSeen;

    readonly System.Threading.Lock opening = new();

    sealed record Opened(string Folder, LuceneDirectory Directory, IndexWriter? Writer, SearcherManager Searchers) : IDisposable
    {
        public DateTime OpenedAt { get; } = DateTime.UtcNow;

        long shown = NoCursor;

        /// <summary>
        /// The cursor of the last commit its searchers show (NoCursor: none recorded). Set after the searchers are
        /// refreshed, never before, so a caller that reads it and then searches finds every row up to it.
        /// </summary>
        public long Shown
        {
            get => Volatile.Read(ref shown);
            set => Volatile.Write(ref shown, value);
        }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer?.Dispose();
            Directory.Dispose();
        }
    }

    string Root => Path.Combine(options.Value.DataDir, "search");
    string Pointer => Path.Combine(Root, "current");

    /// <summary>
    /// What the documents hold (KeywordDocument); a folder built by another version of them is built again, so an
    /// upgrade that changes the fields needs no manual reindex.
    /// </summary>
    const string Format = "keyword-v1-";

    /// <summary>True when there is no index of this format here (a new install, an upgrade, a removed folder): build one.</summary>
    public bool Missing => !File.Exists(Pointer) || !(open?.Folder ?? File.ReadAllText(Pointer)).StartsWith(Format, StringComparison.Ordinal);

    public bool Writable => Current().Writer is not null;

    /// <summary>Reads with a point-in-time searcher of the last applied changes.</summary>
    public T Read<T>(Func<IndexSearcher, T> read)
    {
        var searchers = Current().Searchers;
        var searcher = searchers.Acquire();
        try { return read(searcher); }
        finally { searchers.Release(searcher); }
    }

    /// <summary>
    /// Reads the last commit without opening the index for writing: `reindex --verify` beside a running server must
    /// not take the write lock the server needs.
    /// </summary>
    public T ReadCommitted<T>(Func<IndexSearcher, T> read)
    {
        using var directory = FSDirectory.Open(Path.Combine(Root, File.ReadAllText(Pointer).Trim()));
        using var reader = DirectoryReader.Open(directory);
        return read(new IndexSearcher(reader));
    }

    /// <summary>The key of the commit's user data that holds the outbox position the commit covers (KeywordFeed).</summary>
    const string CursorKey = "outbox";

    /// <summary>
    /// The search_outbox id up to which this index has applied every row, as its last commit recorded it; null for a
    /// folder built before cursors were kept (it is built again).
    /// </summary>
    /// <remarks>
    /// Not the writer's commit data, which Apply sets before its commit and the searchers' refresh: a search that read
    /// the cursor there, found nothing waiting past it and searched, missed the rows being applied meanwhile.
    /// </remarks>
    public long? Cursor
    {
        get
        {
            var o = Current();
            if (o.Writer is null) throw new InvalidOperationException("this process does not hold the keyword index's write lock");
            return o.Shown == NoCursor ? null : o.Shown;
        }
    }

    const long NoCursor = -1;

    static long CommittedCursor(IndexWriter writer) =>
        writer.CommitData.TryGetValue(CursorKey, out var value) ? long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : NoCursor;

    /// <summary>
    /// Adds or replaces the given papers, removes the given ids and records the cursor, in one commit: durable once it
    /// returns, and the cursor never says more or less than the documents hold.
    /// </summary>
    public void Apply(IEnumerable<IndexedPaper> papers, IEnumerable<string> removed, long cursor)
    {
        var o = Current();
        var writer = o.Writer ?? throw new InvalidOperationException("this process does not hold the keyword index's write lock");
        foreach (var p in papers) writer.UpdateDocument(new Term(KeywordDocument.Id, p.Id), KeywordDocument.Of(p));
        foreach (var id in removed) writer.DeleteDocuments(new Term(KeywordDocument.Id, id));
        SetCursor(writer, cursor);
        writer.Commit();
        o.Searchers.MaybeRefreshBlocking();
        o.Shown = cursor;
    }

    static void SetCursor(IndexWriter writer, long cursor) =>
        writer.SetCommitData(new Dictionary<string, string> { [CursorKey] = cursor.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>
    /// Writes every paper into a new folder, with the outbox position the papers' snapshot covers, then makes it
    /// current; returns the documents written.
    /// </summary>
    public int Build(IEnumerable<IndexedPaper> papers, long cursor)
    {
        System.IO.Directory.CreateDirectory(Root);
        var folder = $"{Format}{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}";
        var count = 0;
        using (var directory = FSDirectory.Open(Path.Combine(Root, folder)))
        using (var writer = new IndexWriter(directory, Config(OpenMode.CREATE)))
        {
            // Analysis is most of a build and the writer takes documents from several threads (one segment each), so
            // every core analyses while one reads the table: 4.5-5.1k papers/s on one thread at 100k.
            Parallel.ForEach(papers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, p =>
            {
                writer.AddDocument(KeywordDocument.Of(p));
                Interlocked.Increment(ref count);
            });
            // One segment for a hub of this size: each search pays per segment (term lookups, scorers and their buffers),
            // and the build leaves one per thread. Larger builds keep Lucene's merges: rewriting the whole index
            // (446 MB at 1M papers) would lengthen the build for a smaller share of each search.
            if (count <= SingleSegmentUpTo) writer.ForceMerge(1);
            SetCursor(writer, cursor);
            writer.Commit();
        }
        var temporary = Pointer + ".new";
        File.WriteAllText(temporary, folder);
        File.Move(temporary, Pointer, overwrite: true); // atomic on one file system: readers see the old or the new name
        if (open is not null) Follow(); // a CLI reindex leaves the new folder to the server, which follows the pointer
        RemoveOthers(folder);
        return count;
    }

    const int SingleSegmentUpTo = 200_000;

    static IndexWriterConfig Config(OpenMode mode) => new(KeywordDocument.Version, KeywordDocument.Analyzer)
    {
        OpenMode = mode,
        Similarity = Similarity,
        RAMBufferSizeMB = 64,
    };

    /// <summary>Opens the folder `current` names, or reopens when another process (reindex) has swapped it.</summary>
    public void Follow()
    {
        var written = File.Exists(Pointer) ? File.GetLastWriteTimeUtc(Pointer) : default;
        // A reader retries the write lock now and then: the CLI command that held it may have exited.
        var retry = open is { Writer: null } && DateTime.UtcNow - open.OpenedAt > TimeSpan.FromSeconds(5);
        if (open is not null && written == pointerSeen && !retry) return;
        lock (opening)
        {
            var folder = File.ReadAllText(Pointer).Trim();
            if (open?.Folder == folder && !retry) { pointerSeen = written; return; }
            var previous = open;
            open = Open(folder);
            EmptyOutboxAt = null; // another folder has a cursor of its own (a `reindex` beside this server): look again
            pointerSeen = written;
            previous?.Dispose();
        }
    }

    Opened Current()
    {
        Follow();
        return open!;
    }

    Opened Open(string folder)
    {
        var directory = KeywordDirectory.OpenFolder(Path.Combine(Root, folder));
        var factory = new Searchers();
        try
        {
            var writer = new IndexWriter(directory, Config(OpenMode.CREATE_OR_APPEND));
            // Opened from the writer before anything is applied: its searchers show the last commit.
            return new Opened(folder, directory, writer, new SearcherManager(writer, true, factory)) { Shown = CommittedCursor(writer) };
        }
        catch (LockObtainFailedException)
        {
            // Another process (the server) applies changes; this one reads what that one commits.
            log.LogDebug("Keyword index {Folder} is written by another process; reading its commits", folder);
            return new Opened(folder, directory, null, new SearcherManager(directory, factory));
        }
    }

    void RemoveOthers(string keep)
    {
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Root, "keyword-*").Where(f => Path.GetFileName(f) != keep))
        {
            // A server that still reads an old folder keeps its open files (Unix semantics) until it follows the pointer.
            try { System.IO.Directory.Delete(folder, recursive: true); }
            catch (IOException ex) { log.LogWarning("Could not remove old keyword index {Folder}: {Error}", folder, ex.Message); }
        }
    }

    public void Dispose()
    {
        open?.Dispose();
        Gate.Dispose();
    }

    sealed class Searchers : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
    }
}

/// <summary>What is indexed of a paper: read from the table with only these columns.</summary>
public sealed record IndexedPaper(string Id, string Title, string Summary, string AuthorNames, string? Categories, DateTime? PublishedAt, string? GithubRepo);
