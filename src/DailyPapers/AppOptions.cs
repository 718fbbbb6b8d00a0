namespace DailyPapers;

/// <summary>
/// Every setting and its default. Bound from appsettings.json, then environment variables prefixed
/// DAILYPAPERS_ (nested keys with a double underscore: DAILYPAPERS_HARVEST__DELAYSECONDS), then the command line.
/// </summary>
public sealed class AppOptions
{
    /// <summary>State folder: the SQLite database and anything else the hub writes.</summary>
    public string DataDir { get; set; } = "data";
    /// <summary>
    /// Connection string; empty means SQLite at {DataDir}/dailypapers.db. A PostgreSQL one (Host=…, or
    /// postgres://user:password@host:port/database) selects PostgreSQL (Data/Provider.cs).
    /// </summary>
    public string? Database { get; set; }
    /// <summary>Load the bundled sample into an empty database at start.</summary>
    public bool LoadSample { get; set; } = true;
    /// <summary>Apply pending migrations at start instead of refusing to run on an old schema.</summary>
    public bool RunMigrations { get; set; }
    public string SiteName { get; set; } = "DailyPapers";
    /// <summary>
    /// Public address (https://papers.example.org) for absolute links in feeds and mails. Empty: the request's host when
    /// AllowedHosts restricts hosts, else the address the server listens on (Web/SiteAddress.cs). Serving beyond
    /// loopback needs one of the two.
    /// </summary>
    public string? PublicUrl { get; set; }
    /// <summary>Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses or CIDR networks, comma-separated.</summary>
    public string TrustedProxies { get; set; } = "127.0.0.1,::1";
    public RateLimitOptions RateLimits { get; set; } = new();
    public HarvestOptions Harvest { get; set; } = new();
    public SearchOptions Search { get; set; } = new();
    public MailOptions Mail { get; set; } = new();
    public DigestOptions Digest { get; set; } = new();
    public SubmissionOptions Submissions { get; set; } = new();
    public MediaOptions Media { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();

    public string ConnectionString =>
        string.IsNullOrWhiteSpace(Database) ? $"Data Source={Path.Combine(DataDir, "dailypapers.db")}" : Database;
}

public sealed class HarvestOptions
{
    /// <summary>Categories the server harvests on its own, comma-separated (cs.LG,cs.CL); empty turns the job off.</summary>
    public string Categories { get; set; } = "";
    /// <summary>Hours between scheduled harvests; arXiv announces new papers once a day.</summary>
    public double IntervalHours { get; set; } = 6;
    public string BaseUrl { get; set; } = "https://export.arxiv.org/oai2";
    /// <summary>Pause between requests; arXiv asks robots for one request every few seconds.</summary>
    public double DelaySeconds { get; set; } = 3;
    /// <summary>Retries of a 503/429 or a network error before the harvest gives up (it can be resumed).</summary>
    public int MaxRetries { get; set; } = 5;
    /// <summary>Longest Retry-After honoured; longer ones are capped so a harvest cannot stall for hours.</summary>
    public double MaxRetryAfterSeconds { get; set; } = 300;
    /// <summary>arXiv's richest OAI format: has every version's date.</summary>
    public string MetadataPrefix { get; set; } = "arXivRaw";
    /// <summary>Days to look back when a set was never harvested and no --from is given.</summary>
    public int FirstRunDays { get; set; } = 3;

    public IReadOnlyList<string> CategoryList =>
        Categories.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Requests allowed per window: accounts per client address, votes and comments per account.</summary>
public sealed class RateLimitOptions
{
    public int Accounts { get; set; } = 20;
    public int Votes { get; set; } = 300;
    public int Comments { get; set; } = 20;
    public double WindowSeconds { get; set; } = 60;
}

public sealed class SearchOptions
{
    /// <summary>Embed papers that lack a vector in the background (the server); imports embed their own papers.</summary>
    public bool BackgroundEmbedding { get; set; } = true;
    /// <summary>
    /// The sentence model (see EmbeddingModel.Known). Changing it re-embeds every paper in the background: vectors
    /// are stored with the name of the model that made them, and only the configured model's are used.
    /// </summary>
    public string Model { get; set; } = Search.EmbeddingModel.MiniLM.Name;
    /// <summary>
    /// How often the server's keyword index reads the changes other processes wrote (another instance, a CLI import)
    /// when nobody searches; a search reads them first anyway, so this only bounds how stale an idle index gets.
    /// </summary>
    public double FollowSeconds { get; set; } = 30;
}

public sealed class MailOptions
{
    /// <summary>SMTP server; empty means no server: mails are written as .eml files to PickupDir instead.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>auto (STARTTLS when offered), none, starttls (required) or ssl (TLS from the first byte, port 465).</summary>
    public string Security { get; set; } = "auto";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "DailyPapers <digest@localhost>";
    /// <summary>Where mails go when no Host is set; empty means {DataDir}/outbox.</summary>
    public string? PickupDir { get; set; }
    /// <summary>Most messages a second handed to the server (0: no limit); relays throttle or block bursts.</summary>
    public double MaxPerSecond { get; set; } = 10;
    /// <summary>Attempts of a message that meets transient errors (4xx, network) before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>First retry delay; it doubles on each attempt, up to an hour.</summary>
    public double RetrySeconds { get; set; } = 30;
    /// <summary>
    /// A message claimed by a sender that died is sent again after this long. The one message in flight at a crash
    /// may then arrive twice (same Message-ID); nothing else can.
    /// </summary>
    public double LeaseSeconds { get; set; } = 300;
    public double TimeoutSeconds { get; set; } = 60;

    public string PickupFolder(string dataDir) => string.IsNullOrWhiteSpace(PickupDir) ? Path.Combine(dataDir, "outbox") : PickupDir;
}

public sealed class JobOptions
{
    /// <summary>
    /// How long a scheduled job's lease lasts (Data/JobLeases.cs): the running instance renews it every third of this;
    /// an instance that crashed holds its jobs this long at most before another instance runs them.
    /// </summary>
    public double LeaseSeconds { get; set; } = 300;
}

public sealed class DigestOptions
{
    /// <summary>Compose and send digests on schedule in the server (the CLI's `digest send` does the same by hand).</summary>
    public bool Schedule { get; set; } = true;
    /// <summary>Local time of day digests go out, in TimeZone.</summary>
    public string SendAt { get; set; } = "07:00";
    /// <summary>IANA or Windows time zone id of SendAt and of "today".</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Day the weekly digest goes out; weeks run Friday to Thursday, so Friday brings the week just ended.</summary>
    public DayOfWeek WeeklyOn { get; set; } = DayOfWeek.Friday;
    /// <summary>Days a confirmation link stays valid.</summary>
    public double ConfirmDays { get; set; } = 7;
}

public sealed class SubmissionOptions
{
    /// <summary>arXiv's API, asked for papers not in the database yet; tests point it at a stub.</summary>
    public string ArxivApiUrl { get; set; } = "https://export.arxiv.org/api/query";
    /// <summary>Oldest paper (by its first arXiv version) that may be submitted, in days.</summary>
    public int MaxAgeDays { get; set; } = 14;
    public int PerAccountPerDay { get; set; } = 5;
    public bool AllowWeekends { get; set; } = true;
}

/// <summary>
/// Thumbnails, avatars, images and videos, served by the hub itself from {DataDir}/media so that a reader's browser
/// loads nothing from another host. Both jobs are off by default: each fetches from the network.
/// </summary>
public sealed class MediaOptions
{
    /// <summary>Render a thumbnail of each paper from the first page of its PDF (needs poppler's pdftoppm).</summary>
    public bool Thumbnails { get; set; }
    /// <summary>Fetch and keep the images, avatars and videos that the imported data links to.</summary>
    public bool FetchRemote { get; set; }
    /// <summary>Where PDFs come from: this plus the arXiv id.</summary>
    public string PdfBaseUrl { get; set; } = "https://arxiv.org/pdf/";
    /// <summary>Pause between PDF requests; arXiv asks robots for one request every few seconds.</summary>
    public double DelaySeconds { get; set; } = 3;
    /// <summary>Larger PDFs are not read past this many bytes and are marked too-large: most papers are under 10 MB.</summary>
    public long MaxPdfBytes { get; set; } = 20_000_000;
    public long MaxImageBytes { get; set; } = 2_000_000;
    public long MaxVideoBytes { get; set; } = 30_000_000;
    /// <summary>The pdftoppm executable: a path, or a name looked up on PATH. Missing: thumbnails are skipped.</summary>
    public string PdftoppmPath { get; set; } = "pdftoppm";
    /// <summary>Thumbnails and remote files each handled per run (a run of the job, or one `media` command).</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>
    /// For tests only: fetch from loopback and private addresses too. Off, a link in the data cannot make the hub
    /// request its own network (SSRF).
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}
