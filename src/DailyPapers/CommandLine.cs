namespace DailyPapers;

/// <summary>The command line: a command, its arguments and options. Plain parsing; the surface is small and stable.</summary>
public sealed record CommandLine(string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Options,
    string[] HostArgs, Dictionary<string, string?> Settings, string? Error)
{
    public const string Usage = """
        usage: dotnet run --project src/DailyPapers -- [command] [options]

        commands:
          serve                      serve the hub (the default)
          migrate [--dry-run]        apply pending database migrations (--dry-run lists them)
          import PATH... [--dry-run] [--batch-size N] [--no-embed]
                                     import Hugging Face daily-papers JSON/JSON lines, Kaggle arXiv metadata,
                                     arXiv API Atom, arXiv OAI-PMH XML or a DailyPapers export (.gz too)
          harvest --categories cs.LG,cs.CL [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--dry-run]
                                     fetch new papers of arXiv categories over OAI-PMH
          export [--out FILE]        write every paper as JSON lines (stdout by default)
          embed [--dry-run]          compute the sentence embeddings papers lack (--dry-run counts them)
          reindex [--verify]         rebuild the keyword index from the papers into a new folder and swap it in
                             (--verify compares the index with the papers table, exits 1 if they differ)
          digest send [--dry-run] [--to ADDRESS] [--date YYYY-MM-DD] [--cadence C]
                                     compose the due digests (or those of the papers of --date) and send the
                                     outbox; --dry-run writes the mails to DataDir/outbox/dry-run and sends nothing
          digest preview [--to ADDRESS] [--date YYYY-MM-DD] [--cadence C] [--out FILE]
                                     render one digest to FILE (.html: the HTML part; else the whole .eml)
          digest status              subscribers, the outbox, and delivery failures
          trending [--dry-run]       recompute every paper's trending score now (the server does it hourly)
          notify [--dry-run]         tell accounts of new papers from what they follow (the server does it hourly)
          media [--dry-run]          render a batch of PDF thumbnails (Media:Thumbnails) and fetch a batch of the
                                     images, avatars and videos the data names (Media:FetchRemote); --dry-run counts
          user add EMAIL [--name NAME] [--role admin|moderator|member] [--admin]
                                     create an account and print a link to choose its password
          user role EMAIL ROLE | user suspend EMAIL | user restore EMAIL | user list

        options for every command:
          --data DIR                 state folder (default ./data; env DAILYPAPERS_DATADIR)
          --urls URLS                address to listen on (default http://localhost:5000)
          --no-sample                do not load the bundled sample into an empty database
          --migrate                  apply pending migrations at start
          --Key=value                any setting of AppOptions, e.g. --Harvest:DelaySeconds=5

        exit status: 0 ok, 1 failed, 2 bad usage; harvest: 3 when it found nothing new.
        """;

    static readonly string[] Commands = ["serve", "migrate", "import", "harvest", "export", "embed", "reindex", "digest", "trending", "notify", "media", "user", "help"];
    static readonly string[] DigestActions = ["send", "preview", "status"];

    // The host's own options pass through: --urls for everyone, the rest for tools such as WebApplicationFactory.
    static readonly string[] HostOptions = ["--urls", "--environment", "--contentRoot", "--applicationName"];

    static readonly Dictionary<string, string[]> ValueOptions = new()
    {
        [""] = ["--data", .. HostOptions],
        ["import"] = ["--batch-size"],
        ["harvest"] = ["--categories", "--from", "--until"],
        ["export"] = ["--out"],
        ["digest"] = ["--to", "--date", "--cadence", "--out"],
        ["user"] = ["--name", "--role"],
    };

    static readonly Dictionary<string, string[]> Flags = new()
    {
        [""] = ["--no-sample", "--migrate", "--help"],
        ["import"] = ["--dry-run", "--no-embed"],
        ["harvest"] = ["--dry-run"],
        ["embed"] = ["--dry-run"],
        ["reindex"] = ["--verify"],
        ["migrate"] = ["--dry-run"],
        ["digest"] = ["--dry-run"],
        ["trending"] = ["--dry-run"],
        ["notify"] = ["--dry-run"],
        ["media"] = ["--dry-run"],
        ["user"] = ["--admin"],
    };

    public string? Option(string name) => Options.TryGetValue(name, out var v) ? v : null;
    public bool Flag(string name) => Options.ContainsKey(name);

    public static CommandLine Parse(string[] args)
    {
        var command = FindCommand(args, out var commandAt);
        if (command is not null && !Commands.Contains(command)) return Fail($"unknown command '{command}'");
        command ??= "serve";
        var options = new Dictionary<string, string?>();
        var positional = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (i == commandAt) continue;
            var (name, inline) = Split(args[i]);
            if (!name.StartsWith("--")) { positional.Add(args[i]); continue; }
            if (Known(ValueOptions, command, name))
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
                if (string.IsNullOrEmpty(value)) return Fail($"{name} needs a value");
                options[name] = value;
            }
            else if (Known(Flags, command, name) && inline is null) options[name] = null;
            // Any setting as --Key=value (--Harvest:DelaySeconds=1), as ASP.NET hosts read them; a bare typo still fails.
            else if (inline is not null && !Known(Flags, command, name)) settings.Add(args[i]);
            else return Fail($"unknown option '{args[i]}' for {command}");
        }
        if (options.ContainsKey("--help")) command = "help";
        if (command == "import" && positional.Count == 0) return Fail("import needs at least one PATH");
        if (command == "digest" && (positional.Count != 1 || !DigestActions.Contains(positional[0])))
            return Fail($"digest needs one of: {string.Join(", ", DigestActions)}");
        if (command == "user" && positional.Count == 0) return Fail("user needs one of: add, role, suspend, restore, list");
        if (command is not ("import" or "digest" or "user") && positional.Count > 0) return Fail($"unexpected argument '{positional[0]}'");
        return Build(command, positional, options, settings);
    }

    /// <summary>The first bare word that is not an option's value: options may come before the command too.</summary>
    static string? FindCommand(string[] args, out int at)
    {
        var takesValue = ValueOptions.Values.SelectMany(v => v).ToHashSet();
        for (at = 0; at < args.Length; at++)
        {
            if (takesValue.Contains(args[at])) { at++; continue; }
            if (!args[at].StartsWith('-')) return args[at];
        }
        at = -1;
        return null;
    }

    static CommandLine Build(string command, List<string> positional, Dictionary<string, string?> options, List<string> passThrough)
    {
        var settings = new Dictionary<string, string?>();
        if (options.TryGetValue("--data", out var data)) settings["DataDir"] = data;
        if (options.ContainsKey("--no-sample")) settings["LoadSample"] = "false";
        if (options.ContainsKey("--migrate")) settings["RunMigrations"] = "true";
        var host = options.Where(o => HostOptions.Contains(o.Key)).SelectMany(o => new[] { o.Key, o.Value! }).Concat(passThrough).ToArray();
        return new CommandLine(command, positional, options, host, settings, null);
    }

    static (string, string?) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--") && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    static bool Known(Dictionary<string, string[]> table, string command, string name) =>
        table[""].Contains(name) || (table.TryGetValue(command, out var own) && own.Contains(name));

    static CommandLine Fail(string error) => new("", [], new Dictionary<string, string?>(), [], [], error);
}
