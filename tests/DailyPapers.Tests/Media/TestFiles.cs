using System.Buffers.Binary;
using System.Text;

namespace DailyPapers.Tests.Media;

/// <summary>Small real files made in the test: a one-page PDF, and the first bytes of the image formats.</summary>
public static class TestFiles
{
    /// <summary>A valid one-page US Letter PDF (612 × 792 pt) with two filled rectangles; about 500 bytes.</summary>
    public static byte[] Pdf()
    {
        const string content = "0.15 0.35 0.75 rg 72 500 468 220 re f 0 0 0 rg 72 100 468 40 re f";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length); // ASCII only: characters are bytes
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>A JPEG's signature and a little padding: enough for the hub, which checks what the bytes are.</summary>
    public static byte[] Jpeg(int length = 64) => [0xFF, 0xD8, 0xFF, 0xE0, .. new byte[length - 4]];

    public static byte[] Png(int length = 64) => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[length - 8]];

    public static byte[] Mp4(int length = 4096) => [0, 0, 0, 0x18, .. "ftypmp42"u8, .. new byte[length - 12]];

    public static bool IsPng(byte[] b) => b.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

    /// <summary>Width and height from a PNG's IHDR chunk, which always comes first.</summary>
    public static (int Width, int Height) PngSize(byte[] b) =>
        (BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(20)));
}
