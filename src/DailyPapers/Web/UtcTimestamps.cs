using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DailyPapers.Web;

/// <summary>
/// Every timestamp the JSON API writes, as Hugging Face writes them: UTC with exactly three fraction digits,
/// "2025-10-29T13:07:42.000Z". huggingface_hub's older parse_datetime (strptime "%Y-%m-%dT%H:%M:%S.%fZ") refuses a
/// timestamp without a fraction or with an offset, and .NET's default writes neither milliseconds nor always "Z".
/// Reading accepts any ISO 8601 form, so a client echoing one back is understood.
/// </summary>
public static class UtcTimestamps
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Adds the converters to options (the API's, and any other that writes what the API writes).</summary>
    public static JsonSerializerOptions Use(this JsonSerializerOptions options)
    {
        options.Converters.Add(new DateTimes());
        options.Converters.Add(new DateTimeOffsets());
        return options;
    }

    /// <summary>The one spelling; a DateTime of unspecified kind is UTC, as the database stores every time in UTC.</summary>
    public static string Write(DateTime t) =>
        (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString(Format, CultureInfo.InvariantCulture);

    sealed class DateTimes : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(UtcTimestamps.Write(value));
    }

    sealed class DateTimeOffsets : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(UtcTimestamps.Write(value.UtcDateTime));
    }
}
