namespace DailyPapers.Search;

/// <summary>A paper's sentence embedding: float32 little-endian, Embedder.Dimensions of them.</summary>
public sealed class PaperVector
{
    public required string PaperId { get; set; }
    public required string Model { get; set; }
    public required byte[] Vector { get; set; }
}
