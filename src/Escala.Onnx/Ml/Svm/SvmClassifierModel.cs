namespace Escala.Onnx.Ml.Svm;

/// <summary>
/// The arithmetic of SVMClassifier, validated once from its attributes. Two modes, as in libsvm/liblinear and
/// ONNX Runtime: with support vectors (<c>vectors_per_class</c>), one-vs-one decision values
/// <c>Σ coef·K(x, sv) + rho</c> for every pair of classes, a vote per pair, and optionally Platt probabilities
/// (<c>prob_a</c>, <c>prob_b</c>) coupled into class probabilities; without support vectors, a linear model per class
/// <c>x · coef_k + rho[0]</c>. Score columns and the winning class follow ONNX Runtime 1.30 (see
/// <see cref="ScoreColumns"/> and <see cref="Score"/>).
/// </summary>
public sealed class SvmClassifierModel
{
    private readonly float[] _coefficients;
    private readonly float[] _supportVectors;
    private readonly int[] _vectorsPerClass;
    private readonly int[] _firstVector;
    private readonly float[] _rho;
    private readonly float[] _probA;
    private readonly float[] _probB;
    private readonly bool _allPositive;

    /// <summary>Validates the attributes and prepares the model.</summary>
    public SvmClassifierModel(
        int classCount, SvmKernelFunction kernel, PostTransform postTransform, IReadOnlyList<float> coefficients,
        IReadOnlyList<float>? supportVectors, IReadOnlyList<long>? vectorsPerClass, IReadOnlyList<float> rho,
        IReadOnlyList<float>? probA, IReadOnlyList<float>? probB)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(coefficients);
        ArgumentNullException.ThrowIfNull(rho);
        if (classCount < 1)
        {
            throw new FormatException("SVMClassifier needs class labels (classlabels_ints or classlabels_strings).");
        }

        if (coefficients.Count == 0)
        {
            throw new FormatException("coefficients is empty.");
        }

        ClassCount = classCount;
        PostTransform = postTransform;
        _coefficients = [.. coefficients];
        _rho = [.. rho];
        _probA = probA is null ? [] : [.. probA];
        _probB = probB is null ? [] : [.. probB];
        _allPositive = _coefficients.All(c => c >= 0f);
        if (_probA.Length != _probB.Length)
        {
            throw new FormatException($"prob_a has {_probA.Length} values but prob_b has {_probB.Length}; they must pair up.");
        }

        var pairs = classCount * (classCount - 1) / 2;
        _vectorsPerClass = vectorsPerClass is null ? [] : [.. vectorsPerClass.Select(v => v is >= 0 and <= int.MaxValue
            ? (int)v : throw new FormatException($"vectors_per_class has an invalid count {v}."))];
        var totalVectors = _vectorsPerClass.Sum(v => (long)v);
        if (totalVectors > (supportVectors?.Count ?? 0))
        {
            throw new FormatException($"vectors_per_class adds up to {totalVectors} support vectors but support_vectors has only {supportVectors?.Count ?? 0} values.");
        }

        var vectorCount = (int)totalVectors;
        if (vectorCount > 0)
        {
            // libsvm mode: one-vs-one over support vectors.
            IsLinear = false;
            Kernel = kernel;
            if (_vectorsPerClass.Length != classCount)
            {
                throw new FormatException($"vectors_per_class has {_vectorsPerClass.Length} entries for {classCount} classes.");
            }

            _supportVectors = supportVectors is null ? [] : [.. supportVectors];
            if (_supportVectors.Length == 0 || _supportVectors.Length % vectorCount != 0)
            {
                throw new FormatException($"support_vectors has {_supportVectors.Length} values, not a multiple of the {vectorCount} support vectors.");
            }

            FeatureCount = _supportVectors.Length / vectorCount;
            VectorCount = vectorCount;
            if (_coefficients.Length != (classCount - 1) * vectorCount)
            {
                throw new FormatException($"coefficients has {_coefficients.Length} values; expected (classes - 1) x support vectors = {(classCount - 1) * vectorCount}.");
            }

            if (_rho.Length < pairs)
            {
                throw new FormatException($"rho has {_rho.Length} values; expected one per pair of classes ({pairs}).");
            }

            if (_probA.Length != 0 && _probA.Length < pairs)
            {
                throw new FormatException($"prob_a has {_probA.Length} values; expected one per pair of classes ({pairs}).");
            }
        }
        else
        {
            // liblinear mode: one linear model per class sharing rho[0]; the kernel does not apply.
            IsLinear = true;
            Kernel = new SvmKernelFunction(SvmKernelType.Linear, 0f, 0f, 0f);
            _supportVectors = [];
            if (_coefficients.Length % classCount != 0)
            {
                throw new FormatException($"coefficients has {_coefficients.Length} values, not a multiple of the {classCount} classes.");
            }

            FeatureCount = _coefficients.Length / classCount;
            if (_rho.Length == 0)
            {
                throw new FormatException("rho is empty.");
            }
        }

        _firstVector = new int[_vectorsPerClass.Length];
        for (var i = 1; i < _firstVector.Length; i++)
        {
            _firstVector[i] = _firstVector[i - 1] + _vectorsPerClass[i - 1];
        }

        HasProbabilities = _probA.Length > 0 && !IsLinear;
        ScoreColumns = IsLinear || HasProbabilities ? classCount : classCount > 2 ? pairs : 2;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Features each row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of support vectors (0 in liblinear mode).</summary>
    public int VectorCount { get; }

    /// <summary>Whether the model is liblinear-style (no support vectors).</summary>
    public bool IsLinear { get; }

    /// <summary>Whether scores are class probabilities from prob_a / prob_b.</summary>
    public bool HasProbabilities { get; }

    /// <summary>The kernel (LINEAR in liblinear mode whatever the attribute says, as in ONNX Runtime).</summary>
    public SvmKernelFunction Kernel { get; }

    /// <summary>The transform applied to the score columns.</summary>
    public PostTransform PostTransform { get; }

    /// <summary>
    /// Columns of the score output: the class count for probabilities and liblinear models, else one decision
    /// value per pair of classes (two columns for two classes: the decision value and its complement).
    /// </summary>
    public int ScoreColumns { get; }

    /// <summary>Scratch floats <see cref="Score"/> needs.</summary>
    public long ScratchLength => (long)VectorCount + FeatureCount + (3L * ClassCount * ClassCount) + (2L * ClassCount) + 2;

    /// <summary>Scores one row into <paramref name="scores"/> (<see cref="ScoreColumns"/> values) and returns the winning class index.</summary>
    public int Score(ReadOnlySpan<float> row, Span<float> scores, Span<float> scratch)
    {
        return IsLinear ? ScoreLinear(row, scores) : ScoreVectors(row, scores, scratch);
    }

    private int ScoreLinear(ReadOnlySpan<float> row, Span<float> scores)
    {
        var best = 0;
        for (var k = 0; k < ClassCount; k++)
        {
            scores[k] = System.Numerics.Tensors.TensorPrimitives.Dot(row, _coefficients.AsSpan(k * FeatureCount, FeatureCount)) + _rho[0];
            if (scores[k] > scores[best])
            {
                best = k;
            }
        }

        var winner = best;
        if (ClassCount == 2 && _probA.Length == 0)
        {
            // liblinear's binary convention as ONNX Runtime applies it: class 1 when the best score clears the threshold.
            var max = scores[best];
            if ((_allPositive && max >= 0.5f) || (!_allPositive && max > 0f))
            {
                winner = 1;
            }
        }

        ApplyTransform(scores[..ClassCount]);
        return winner;
    }

    private int ScoreVectors(ReadOnlySpan<float> row, Span<float> scores, Span<float> scratch)
    {
        var c = ClassCount;
        var kernels = scratch[..VectorCount];
        var pairScores = scratch.Slice(VectorCount, (c * c) + 2);
        var votes = scratch.Slice(VectorCount + (c * c) + 2, c);
        var rest = scratch[(VectorCount + (c * c) + 2 + c)..];
        Kernel.Evaluate(row, _supportVectors, kernels, rest);
        votes.Clear();
        var pair = 0;
        for (var i = 0; i < c - 1; i++)
        {
            for (var j = i + 1; j < c; j++, pair++)
            {
                // Pair (i, j): class i's vectors weighted by row j-1 of the coefficients, class j's by row i.
                double sum = 0;
                var iCoefficients = _coefficients.AsSpan(((j - 1) * VectorCount) + _firstVector[i], _vectorsPerClass[i]);
                var iKernels = kernels.Slice(_firstVector[i], _vectorsPerClass[i]);
                for (var m = 0; m < iKernels.Length; m++)
                {
                    sum += iCoefficients[m] * iKernels[m];
                }

                var jCoefficients = _coefficients.AsSpan((i * VectorCount) + _firstVector[j], _vectorsPerClass[j]);
                var jKernels = kernels.Slice(_firstVector[j], _vectorsPerClass[j]);
                for (var m = 0; m < jKernels.Length; m++)
                {
                    sum += jCoefficients[m] * jKernels[m];
                }

                sum += _rho[pair];
                pairScores[pair] = (float)sum;
                votes[sum > 0 ? i : j] += 1f;
            }
        }

        var winner = 0;
        for (var k = 1; k < c; k++)
        {
            if (votes[k] > votes[winner])
            {
                winner = k;
            }
        }

        if (HasProbabilities)
        {
            var r = rest[..(c * c)];
            r.Clear();
            pair = 0;
            for (var i = 0; i < c - 1; i++)
            {
                for (var j = i + 1; j < c; j++, pair++)
                {
                    var p = Math.Clamp(SvmProbability.Sigmoid(pairScores[pair], _probA[pair], _probB[pair]), 1e-7f, 1 - 1e-7f);
                    r[(i * c) + j] = p;
                    r[(j * c) + i] = 1 - p;
                }
            }

            SvmProbability.Couple(c, r, scores[..c], rest[(c * c)..]);
            ApplyTransform(scores[..c]);
            return winner;
        }

        if (c > 2)
        {
            pairScores[..ScoreColumns].CopyTo(scores);
            ApplyTransform(scores[..ScoreColumns]);
            return winner;
        }

        // Two classes, no probabilities: one decision value s spread over two columns as ONNX Runtime does.
        var s = pairScores[0];
        switch (PostTransform)
        {
            case PostTransform.None:
                scores[0] = -s;
                scores[1] = s;
                break;
            case PostTransform.Logistic:
                scores[1] = ScoreTransform.Logistic(s);
                scores[0] = 1f - scores[1];
                break;
            case PostTransform.Probit:
                scores[0] = ScoreTransform.Probit(s);
                scores[1] = 0f;
                break;
            default:
                scores[0] = 1f - s;
                scores[1] = s;
                break;
        }

        return winner;
    }

    private void ApplyTransform(Span<float> scores)
    {
        // One column gets only PROBIT, like every single-score output in ONNX Runtime.
        if (scores.Length > 1 || PostTransform == PostTransform.Probit)
        {
            ScoreTransform.Apply(PostTransform, scores);
        }
    }
}
