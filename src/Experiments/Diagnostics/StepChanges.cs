using Experiments.Models;
using TorchSharp.Modules;

namespace Experiments.Diagnostics;

/// <summary>
/// What a tracked optimizer step reports of the parameters it is asked about: Σ(Δp)² of the step and Σp² before it, summed
/// in the same pass as the update (`Training/Optimizers/ParameterPass.ApplyMeasured`), so that ‖ΔW‖/‖W‖ needs no copy of the weights
/// and no pass of its own. Indexed like the flat buffers' segments. A report is read once: reading one that the step did
/// not make (an optimizer that does not report) is an error, not a stale value.
/// </summary>
public sealed class StepChanges
{
    readonly bool[] asked;
    readonly (double Change, double Before)?[] reports;

    public StepChanges(FlatParameters flat, IEnumerable<Parameter> parameters)
    {
        Flat = flat;
        asked = new bool[flat.Segments.Count];
        reports = new (double, double)?[flat.Segments.Count];
        foreach (var parameter in parameters) asked[flat.IndexOf(parameter)] = true;
    }

    /// <summary>The buffers whose segments these are.</summary>
    public FlatParameters Flat { get; }

    /// <summary>Whether the step should measure segment <paramref name="segment"/>.</summary>
    public bool Asks(int segment) => asked[segment];

    public void Report(int segment, (double Change, double Before) sums) => reports[segment] = sums;

    /// <summary>The report of the last step on <paramref name="segment"/>, which it then forgets.</summary>
    public (double Change, double Before) Take(int segment)
    {
        var report = reports[segment] ?? throw new InvalidOperationException($"the optimizer step did not report segment {segment}");
        reports[segment] = null;
        return report;
    }

    /// <summary>Forgets every report, so that one a step made but nobody took cannot pass for a later step's.</summary>
    public void Forget() => Array.Clear(reports);
}
