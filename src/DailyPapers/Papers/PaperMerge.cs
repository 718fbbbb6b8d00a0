namespace DailyPapers.Papers;

/// <summary>
/// How a record about a known paper updates it. arXiv metadata follows the version: a newer version replaces it, an
/// older one does not (a source that gives no version counts as version 0), and between equal versions the fresher
/// snapshot wins. Hugging Face's community fields come from the fresher snapshot; counts never go down. Absent values
/// never erase. The result does not depend on the order records arrive in, so re-running an import changes nothing.
/// </summary>
public static class PaperMerge
{
    public static void Into(Paper target, Paper incoming)
    {
        var fresher = (incoming.SnapshotAt ?? DateTime.MinValue) >= (target.SnapshotAt ?? DateTime.MinValue);
        var version = (incoming.Version ?? 0).CompareTo(target.Version ?? 0);
        if (version > 0 || (version == 0 && fresher)) Metadata(target, incoming);
        target.PublishedAt = Earliest(target.PublishedAt, incoming.PublishedAt);
        if (fresher) Community(target, incoming);
        target.ImportedUpvotes = Math.Max(target.ImportedUpvotes, incoming.ImportedUpvotes);
        target.ImportedComments = Math.Max(target.ImportedComments, incoming.ImportedComments);
    }

    static void Metadata(Paper t, Paper i)
    {
        t.Version = i.Version ?? t.Version;
        t.Title = i.Title;
        if (i.Summary.Length > 0) t.Summary = i.Summary;
        if (i.AuthorsJson != "[]") t.AuthorsJson = i.AuthorsJson;
        t.UpdatedAt = i.UpdatedAt ?? t.UpdatedAt;
        t.Categories = i.Categories ?? t.Categories;
        t.PrimaryCategory = i.PrimaryCategory ?? t.PrimaryCategory;
        t.Comments = i.Comments ?? t.Comments;
        t.JournalRef = i.JournalRef ?? t.JournalRef;
        t.Doi = i.Doi ?? t.Doi;
        t.License = i.License ?? t.License;
    }

    static void Community(Paper t, Paper i)
    {
        t.GithubRepo = i.GithubRepo ?? t.GithubRepo;
        t.GithubStars = i.GithubStars ?? t.GithubStars;
        t.GithubRepoAddedBy = i.GithubRepoAddedBy ?? t.GithubRepoAddedBy;
        t.ProjectPage = i.ProjectPage ?? t.ProjectPage;
        t.AiSummary = i.AiSummary ?? t.AiSummary;
        t.AiKeywordsJson = i.AiKeywordsJson ?? t.AiKeywordsJson;
        t.AiSummaryModel = i.AiSummaryModel ?? t.AiSummaryModel;
        t.WithdrawnAt = i.WithdrawnAt ?? t.WithdrawnAt;
        t.LinkedModelsJson = i.LinkedModelsJson ?? t.LinkedModelsJson;
        t.LinkedDatasetsJson = i.LinkedDatasetsJson ?? t.LinkedDatasetsJson;
        t.LinkedSpacesJson = i.LinkedSpacesJson ?? t.LinkedSpacesJson;
        t.NumTotalModels = i.NumTotalModels ?? t.NumTotalModels;
        t.NumTotalDatasets = i.NumTotalDatasets ?? t.NumTotalDatasets;
        t.NumTotalSpaces = i.NumTotalSpaces ?? t.NumTotalSpaces;
        t.DiscussionId = i.DiscussionId ?? t.DiscussionId;
        t.SubmittedOnDailyAt = i.SubmittedOnDailyAt ?? t.SubmittedOnDailyAt;
        t.SubmittedOnDailyByJson = i.SubmittedOnDailyByJson ?? t.SubmittedOnDailyByJson;
        t.OrganizationJson = i.OrganizationJson ?? t.OrganizationJson;
        t.MediaUrlsJson = i.MediaUrlsJson ?? t.MediaUrlsJson;
        t.SnapshotAt = i.SnapshotAt ?? t.SnapshotAt;
    }

    static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
