namespace DailyPapers.Ingest;

/// <summary>Where the OAI-PMH harvest of one set stands, so a killed harvest resumes and the next one is incremental.</summary>
public sealed class HarvestState
{
    public required string SetSpec { get; set; }
    /// <summary>Newest record datestamp of the last completed harvest: the next one starts from it.</summary>
    public DateOnly? LastDatestamp { get; set; }
    /// <summary>Token of an unfinished list, with the from-date it belongs to.</summary>
    public string? ResumptionToken { get; set; }
    public DateOnly? TokenFrom { get; set; }
    public DateTime UpdatedAt { get; set; }
}
