using Experiments.Models;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>Consecutive layers whose segments in a flat buffer are adjacent and of one size: a [layers, size] matrix.</summary>
public sealed record SegmentRun(long Offset, int Layers, long Size);

/// <summary>
/// What the metrics see of the network at one step, within the batch's dispose scope: the flat parameter and gradient
/// buffers, each layer's δ and each hidden block's output. Its reductions give one value per layer in one native call
/// per run of equally shaped layers (three for an MLP: the first layer, the hidden layers, the read-out), not per layer.
/// </summary>
/// <param name="Deltas">∂L/∂h_l for every Linear layer's output h_l (the pre-activation), over the batch.</param>
/// <param name="HiddenOutputs">Each hidden block's activation output.</param>
/// <param name="Before">The parameters before the step (a copy of the flat buffer); null until after it.</param>
public sealed record NetworkView(FlatParameters Flat, IReadOnlyList<SegmentRun> WeightRuns, IReadOnlyList<SegmentRun> BiasRuns,
    IReadOnlyList<Tensor> Deltas, IReadOnlyList<Tensor> HiddenOutputs, ActivationFunction Activation, Tensor? Before = null)
{
    /// <summary>Each layer's weights in <paramref name="buffer"/> (the flat parameters, gradients or a copy), reduced row by row.</summary>
    public Tensor PerLayerWeights(Tensor buffer, Func<Tensor, Tensor> reduceRows) => PerRun(buffer, WeightRuns, reduceRows);

    /// <summary>Each layer's biases in <paramref name="buffer"/>, reduced row by row.</summary>
    public Tensor PerLayerBiases(Tensor buffer, Func<Tensor, Tensor> reduceRows) => PerRun(buffer, BiasRuns, reduceRows);

    /// <summary>One value per tensor: runs of equally shaped tensors are stacked into [count, elements] and reduced row by row.</summary>
    public static Tensor PerTensor(IReadOnlyList<Tensor> tensors, Func<Tensor, Tensor> reduceRows)
    {
        var parts = new List<Tensor>();
        for (int start = 0; start < tensors.Count;)
        {
            int end = start + 1;
            while (end < tensors.Count && tensors[end].shape.SequenceEqual(tensors[start].shape)) end++;
            parts.Add(reduceRows(stack(tensors.Skip(start).Take(end - start).ToList()).reshape(end - start, -1)));
            start = end;
        }
        return Concatenate(parts);
    }

    /// <summary>The hidden outputs as one [layers, batch, width] tensor, stacked once per step for every metric that reads it.</summary>
    public Tensor StackedHiddenOutputs => stackedHiddenOutputs ??= stack(HiddenOutputs.ToList());
    Tensor? stackedHiddenOutputs;

    /// <summary>The runs of equally sized, adjacent segments among the given parameters (one per layer, in layer order).</summary>
    public static IReadOnlyList<SegmentRun> Runs(FlatParameters flat, IEnumerable<TorchSharp.Modules.Parameter> perLayer)
    {
        var runs = new List<SegmentRun>();
        foreach (var segment in perLayer.Select(flat.SegmentOf))
        {
            if (runs.Count > 0 && runs[^1] is var last && last.Size == segment.Length && last.Offset + last.Layers * last.Size == segment.Offset)
                runs[^1] = last with { Layers = last.Layers + 1 };
            else
                runs.Add(new SegmentRun(segment.Offset, 1, segment.Length));
        }
        return runs;
    }

    static Tensor PerRun(Tensor buffer, IReadOnlyList<SegmentRun> runs, Func<Tensor, Tensor> reduceRows) =>
        Concatenate(runs.Select(run => reduceRows(buffer.narrow(0, run.Offset, run.Layers * run.Size).view(run.Layers, run.Size))).ToList());

    static Tensor Concatenate(List<Tensor> parts) => parts.Count == 1 ? parts[0] : cat(parts);
}
