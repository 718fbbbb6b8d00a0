using Microsoft.AspNetCore.Http.HttpResults;

namespace DailyPapers.Web;

public static class Pages
{
    /// <summary>An HTML error page with its status, for browsers; the API answers JSON instead (see Errors).</summary>
    public static IResult Error(int status, string heading, string message) =>
        new RazorComponentResult<ErrorPage>(new { Heading = heading, Message = message }) { StatusCode = status };

    public static IResult Error(int status, string message) => Error(status, Errors.Heading(status), message);
}
