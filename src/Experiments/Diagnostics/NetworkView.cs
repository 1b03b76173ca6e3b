using Experiments.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>Consecutive layers whose segments in a flat buffer are adjacent and of one size: a [layers, size] matrix.</summary>
public sealed record SegmentRun(long Offset, int Layers, long Size);

/// <summary>
/// Fixed [layers, size] views, one per run of equally shaped layers, into a flat buffer: made once, so reading a run costs
/// no call. The buffer (the flat parameters, gradients or a copy) never moves, so the views stay valid.
/// </summary>
public sealed class RunViews : IDisposable
{
    public IReadOnlyList<Tensor> Views { get; }

    readonly IReadOnlyList<Scalar> sizes; // each run's row length, held: a mean divides by it every step

    public RunViews(Tensor buffer, IReadOnlyList<SegmentRun> runs)
    {
        Views = runs.Select(run =>
        {
            using var slice = buffer.narrow(0, run.Offset, run.Layers * run.Size);
            return slice.view(run.Layers, run.Size).DetachFromDisposeScope();
        }).ToList();
        sizes = runs.Select(run => ((double)run.Size).ToScalar()).ToList();
    }

    /// <summary>One value per layer: each run reduced row by row, concatenated.</summary>
    public Tensor PerLayer(Func<Tensor, Tensor> reduceRows) => NetworkView.Concatenate(Views.Select(reduceRows).ToList());

    /// <summary>One mean per layer: each run's row sums (<paramref name="sumRows"/>) divided by the row length.</summary>
    public Tensor PerLayerMean(Func<Tensor, Tensor> sumRows) =>
        NetworkView.Concatenate(Views.Select((view, i) => sumRows(view).div_(sizes[i])).ToList());

    public void Dispose()
    {
        foreach (var view in Views) view.Dispose();
        foreach (var size in sizes) size.Dispose();
    }
}

/// <summary>
/// What the metrics see of the network at one step, within the batch's dispose scope: views of the flat weights, weight
/// gradients and bias gradients by run of equally shaped layers, each layer's δ and each hidden block's output. Its
/// reductions give one value per layer in one native call per run (three for an MLP: the first layer, the hidden layers,
/// the read-out), not per layer.
/// </summary>
/// <param name="Deltas">∂L/∂h_l for every Linear layer's output h_l (the pre-activation), over the batch.</param>
/// <param name="HiddenOutputs">Each hidden block's activation output.</param>
/// <param name="WeightsBefore">The weights before the step (a copy); null until after it.</param>
public sealed record NetworkView(RunViews Weights, RunViews WeightGradients, RunViews BiasGradients,
    IReadOnlyList<Tensor> Deltas, IReadOnlyList<Tensor> HiddenOutputs, ActivationFunction Activation, RunViews? WeightsBefore = null)
{
    /// <summary>
    /// ‖W_before − W_after‖-style reductions: each run's change over the step, reduced row by row. The change is computed in
    /// place of the captured weights (no megabyte-sized temporary), so read <see cref="WeightsBefore"/> first.
    /// </summary>
    public Tensor PerLayerWeightChange(Func<Tensor, Tensor> reduceRows) => Concatenate(
        WeightsBefore!.Views.Zip(Weights.Views, (before, after) => reduceRows(before.sub_(after))).ToList());

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

    internal static Tensor Concatenate(List<Tensor> parts) => parts.Count == 1 ? parts[0] : cat(parts);
}
