using Experiments.Records;
using Experiments.Training;
using FluentAssertions;

namespace Hypotheses.Vocabulary;

/// <summary>
/// A bound checked on every batch, as a step observer: each batch adds log10(measured / bound) at every place it checks
/// (a layer, a time step), and the worst is kept. A theorem's bound holds when the worst excess is at most 0.
/// </summary>
public abstract class BatchBound : IStepObserver
{
    public double WorstLogExcess { get; private set; } = double.NegativeInfinity;
    public int Batches { get; private set; }

    public void AfterBackward(StepView step)
    {
        Batches++;
        foreach (var excess in LogExcesses(step)) WorstLogExcess = Math.Max(WorstLogExcess, excess);
    }

    /// <summary>log10(measured / bound) at each place this batch checks, before the update.</summary>
    protected abstract IEnumerable<double> LogExcesses(StepView step);

    /// <summary>Trains <paramref name="spec"/> once per seed in this process with a new bound watching, and returns each seed's
    /// worst excess under <paramref name="measureName"/>.</summary>
    public static Measured OnEveryBatch(ExperimentSpec spec, Func<BatchBound> bound, string measureName)
    {
        var values = Seeds.All.Select(seed =>
        {
            var watching = bound();
            var record = Trainer.Run(spec with { Seed = seed }, observer: watching);
            // An observer that never ran would leave -∞, which the assertion refuses; this says why.
            watching.Batches.Should().Be(record.Epochs.Sum(e => e.Steps), "the bound is checked on every batch the record counts");
            return watching.WorstLogExcess;
        }).ToList();
        return new Measured(spec, new Measure(measureName, _ => double.NaN), values);
    }
}
