using DailyPapers;

// One executable, one composition root: the web server and every CLI command are built from this host.
var cli = CommandLine.Parse(args);
if (cli.Error is not null)
{
    Console.Error.WriteLine($"error: {cli.Error}\n\n{CommandLine.Usage}");
    return 2;
}
if (cli.Command == "help")
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = cli.HostArgs });
builder.Configuration.AddEnvironmentVariables("DAILYPAPERS_");
builder.Configuration.AddInMemoryCollection(cli.Settings);
builder.AddDailyPapers();

var app = builder.Build();
app.UseDailyPapers();
return await Commands.RunAsync(app, cli);

public partial class Program { }
