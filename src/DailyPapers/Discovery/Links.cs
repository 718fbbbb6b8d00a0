namespace DailyPapers.Discovery;

/// <summary>
/// Addresses of the discovery pages. Names go into one path segment escaped (spaces, accents, a slash), and come back
/// out of the route decoded (Names.FromRoute), so any name round-trips.
/// </summary>
public static class Links
{
    public static string Author(string name) => "/authors/" + Uri.EscapeDataString(name);
    public static string Organization(string name) => "/organizations/" + Uri.EscapeDataString(name);
    public static string Category(string category) => "/categories/" + Uri.EscapeDataString(category);

    /// <summary>A list's address at one of its pages, keeping a limit that is not the default: for the pager and the cards' forms.</summary>
    public static string Paged(string path, ListRequest request, int page)
    {
        var query = (page > 0 ? $"&p={page}" : "") + (request.Limit != Feed.FeedRequest.DefaultLimit ? $"&limit={request.Limit}" : "");
        return query.Length == 0 ? path : $"{path}?{query[1..]}";
    }
}
