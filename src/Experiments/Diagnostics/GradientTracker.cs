using Experiments.Models;
using Experiments.Records;
using static TorchSharp.torch;

namespace Experiments.Diagnostics;

/// <summary>
/// Measures every <see cref="Metric"/> of an <see cref="Mlp"/>'s layers: after a backward pass, and around an optimizer
/// step. The metrics read the flat parameter buffers and each layer's δ and output in place (<see cref="Reductions"/>), so
/// tracking runs no libtorch operation (only the calls that find each tensor's memory) and makes no tensor. Call within
/// the batch's dispose scope, on a model whose parameters are flat (<see cref="Mlp.Flatten"/>). Around a step, call <see cref="CaptureParameters"/>,
/// then the step, then <see cref="MeasureUpdates"/>; the weights must change only by such steps, because the copy that
/// <see cref="MeasureUpdates"/> leaves is the next step's capture.
/// </summary>
public sealed class GradientTracker : IDisposable
{
    readonly Mlp model;
    readonly ActivationFunction activation;
    readonly Tensor before;
    readonly IReadOnlyList<(Block Weights, Block WeightGradients, Block BiasGradients, Block WeightsBefore)> blocks;
    readonly double[] squaresBefore;
    readonly (double Change, double Weights)[] stepSquares;
    bool copyIsCurrent; // MeasureUpdates left the copy equal to the weights
    static readonly Metric[] AfterBackwardMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterBackward).ToArray();
    static readonly Metric[] AfterStepMetrics = Metric.All.Where(m => m.Timing == MetricTiming.AfterStep).ToArray();

    public GradientTracker(Mlp model)
    {
        this.model = model;
        var flat = model.Flat ?? throw new InvalidOperationException("the model's parameters are not flat: call Flatten first");
        activation = ActivationFunction.Of(model.Options.Activation);
        before = zeros_like(flat.Values).DetachFromDisposeScope();
        blocks = model.Linears.Select(linear =>
        {
            var (weight, bias) = (flat.SegmentOf(linear.weight!), flat.SegmentOf(linear.bias!));
            return (new Block(flat.Values, weight.Offset, weight.Length), new Block(flat.Gradients, weight.Offset, weight.Length),
                new Block(flat.Gradients, bias.Offset, bias.Length), new Block(before, weight.Offset, weight.Length));
        }).ToList();
        squaresBefore = new double[blocks.Count];
        stepSquares = new (double, double)[blocks.Count];
        model.KeepActivations = true;
        Layers = model.Linears.Select((linear, l) => new LayerShape(
            l < model.Options.Depth ? LayerRecord.Hidden : LayerRecord.Output,
            (int)linear.weight!.shape[1], (int)linear.weight.shape[0])).ToList();
    }

    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>The metrics read after backward: gradient norms, δ, and the activation's health.</summary>
    public StepMeasurement MeasureGradients() => Measure(afterStep: false);

    /// <summary>Keeps a copy of the weights before a step, and their Σw² per layer, for <see cref="MeasureUpdates"/> (one
    /// pass, into a buffer kept for the purpose), unless the last <see cref="MeasureUpdates"/> left that copy already.</summary>
    public void CaptureParameters()
    {
        if (copyIsCurrent) { copyIsCurrent = false; return; }
        for (int l = 0; l < blocks.Count; l++) squaresBefore[l] = Reductions.CopyWithSquares(blocks[l].Weights, blocks[l].WeightsBefore);
    }

    /// <summary>The metrics read after the step, such as ‖ΔW‖/‖W‖, against the weights captured before it. The same pass
    /// copies the new weights over the old, for the next step.</summary>
    public StepMeasurement MeasureUpdates()
    {
        for (int l = 0; l < blocks.Count; l++)
        {
            var (change, squares) = Reductions.SquaredDistanceThenCopy(blocks[l].Weights, blocks[l].WeightsBefore);
            (stepSquares[l], squaresBefore[l]) = ((change, squaresBefore[l]), squares);
        }
        copyIsCurrent = true;
        return Measure(afterStep: true);
    }

    StepMeasurement Measure(bool afterStep)
    {
        var metrics = afterStep ? AfterStepMetrics : AfterBackwardMetrics;
        var values = new List<(int Layer, Metric Metric, double Value)>();
        // Layer by layer, input side first, metrics in their order: the first non-finite value names where divergence began.
        for (int l = 0; l < blocks.Count; l++)
        {
            bool hidden = l < model.Options.Depth;
            var view = new LayerView
            {
                Activation = activation, WeightGradients = blocks[l].WeightGradients,
                BiasGradients = blocks[l].BiasGradients, PreActivation = model.PreActivations[l],
                Output = hidden ? model.Activations[l] : null, Step = afterStep ? stepSquares[l] : null,
            };
            foreach (var metric in metrics)
                if ((hidden || metric.Scope == MetricScope.EveryLayer) && metric.Measure(view) is { } value) values.Add((l, metric, value));
        }
        return new StepMeasurement(values);
    }

    public void Dispose() => before.Dispose();
}
