using Microsoft.AspNetCore.Http.HttpResults;

namespace DailyPapers.Web;

public static class Pages
{
    /// <summary>An HTML error page with its status, for browsers; the API answers JSON instead (see Errors).</summary>
    public static IResult Error(int status, string heading, string message) =>
        new RazorComponentResult<ErrorPage>(new { Heading = heading, Message = message }) { StatusCode = status };

    public static IResult Error(int status, string message) => Error(status, Errors.Heading(status), message);

    /// <summary>The confirmation page for a form from a shared page that the browser did not vouch for (Auth.FormFromThisSiteAsync).</summary>
    public static IResult Confirm(HttpContext context, IFormCollection form, string question, string button) =>
        new RazorComponentResult<ConfirmPage>(new
        {
            Question = question, Button = button, Action = context.Request.Path + context.Request.QueryString,
            Fields = form.Where(f => f.Key != "__RequestVerificationToken").Select(f => (f.Key, f.Value.ToString())).ToList(),
        });
}
