using System.Diagnostics;
using System.Globalization;
using Escala.Explain.Bench;
using Escala.Onnx;
using Escala.Onnx.Explaining;
using Escala.Onnx.Tensors;

// Per-row latency of an explanation beside the prediction of the same row, on the same model, in one run:
// a 500-tree ensemble (interventional TreeSHAP, 200 background rows) and a 100-feature linear model (linear SHAP).
// Usage: dotnet run -c Release --project bench/Escala.Explain.Bench [-- ROWS]
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
const int backgroundRows = 200;
Console.WriteLine($"| model | method | rows | predict p50 | predict p99 | explain p50 | explain p99 | explain / predict (p50) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
Measure("500 trees, depth 6, 20 features", BenchModels.Trees(500, 6, 20, seed: 3), 20, rows, backgroundRows);
Measure("linear, 100 features", BenchModels.Linear(100, seed: 4), 100, rows, backgroundRows);
return 0;

static void Measure(string name, byte[] model, int features, int rows, int backgroundRows)
{
    var session = InferenceSession.Load(model);
    var explainer = ModelExplainer.Create(model, session);
    var background = new Dictionary<string, OnnxValue> { ["x"] = new OnnxTensor<float>(BenchModels.Rows(backgroundRows, features, 11), backgroundRows, features) };
    var data = BenchModels.Rows(rows, features, 12);
    var predict = new double[rows];
    var explain = new double[rows];
    string method = "";

    // Warm both paths (JIT, tiering), then time each row: predict it, then explain it.
    for (var w = 0; w < 20; w++)
    {
        var row = Row(data, w % rows, features);
        session.Run(row);
        explainer.Explain(row, background);
    }

    for (var r = 0; r < rows; r++)
    {
        var row = Row(data, r, features);
        var start = Stopwatch.GetTimestamp();
        session.Run(row);
        predict[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        start = Stopwatch.GetTimestamp();
        var explanation = explainer.Explain(row, background);
        explain[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        method = ExplanationMethods.Name(explanation.Method);
    }

    Array.Sort(predict);
    Array.Sort(explain);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {method} (background {backgroundRows}) | {rows} | {Us(P(predict, 0.5))} | {Us(P(predict, 0.99))} | {Us(P(explain, 0.5))} | {Us(P(explain, 0.99))} | {P(explain, 0.5) / P(predict, 0.5):0}x |"));
}

static Dictionary<string, OnnxValue> Row(float[] data, int r, int features) =>
    new() { ["x"] = new OnnxTensor<float>(data.AsSpan(r * features, features).ToArray(), 1, features) };

static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static string Us(double us) => us >= 1000 ? $"{us / 1000:0.00} ms" : $"{us:0} µs";
