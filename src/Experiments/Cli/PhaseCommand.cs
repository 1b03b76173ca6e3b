using System.CommandLine;
using Experiments.Models;
using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using Experiments.Theory;
using Experiments.Workers;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// `phase`: trains a grid of tanh nets over σ_w² × depth × seeds, adding seeds where the boundary needs them, and writes the
/// records, phase.png, phase.csv and phase.md into a run folder (<see cref="PhaseJob"/>).
/// </summary>
public static class PhaseCommand
{
    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var output = JobOptions.Output("records go to <out>/phase-results/<spec id>.json, the diagram to <out>/runs/<run id>");
        var parallel = JobOptions.Parallel();
        // σ_w² (columns), depth (rows) and seeds (the figure shows each cell's share of seeds that train) make the grid; the other
        // settings are one value each, and the activation, initialisation and optimizer are the diagram's own.
        var options = new SpecOptions(PhaseSweep.Template,
            fields: [SpecFields.SigmaW2, SpecFields.Depth, SpecFields.Seed, SpecFields.BiasSigma2, SpecFields.Width, SpecFields.LearningRate,
                     SpecFields.Momentum, SpecFields.BatchSize, SpecFields.Epochs, SpecFields.Samples, SpecFields.Precision],
            grid: [SpecFields.SigmaW2, SpecFields.Depth, SpecFields.Seed],
            lists: [(SpecFields.SigmaW2, [.. PhaseSweep.SigmaW2s.Cast<object>()]), (SpecFields.Depth, [.. PhaseSweep.Depths.Cast<object>()]),
                    (SpecFields.Seed, [.. PhaseSweep.Seeds.Cast<object>()])]);
        var maxSeeds = new Option<int>("--max-seeds")
        {
            Description = "the most seeds a cell gets: round by round, the cells a column's boundary depends on get as many seeds again as " +
                          "--seed gives, until its boundary is placed to within one grid step or they hold this many (the number of --seed values: a fixed grid)",
            DefaultValueFactory = _ => PhaseSweep.MaxSeeds,
        };
        var command = new Command("phase", "Phase diagram of tanh nets: the share of seeds that train over σ_w² × depth after a fixed number of SGD " +
                                           "steps, with its intervals, against the mean-field depth scale ξ_c (Schoenholz et al. 2017). Writes phase.png and phase.md.");
        var (shard, shards) = JobOptions.Shards();
        foreach (var option in options.All.Append(maxSeeds).Append(output).Append(parallel).Append(shard).Append(shards)) command.Options.Add(option);
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            int runs = JobOptions.ParallelOf(parsed, parallel);
            var specs = options.Specs(parsed);
            var seeds = new SeedRounds([.. specs.Select(s => s.Seed).Distinct()], parsed.GetValue(maxSeeds));
            if (seeds.MaxSeeds < seeds.Step)
                throw new SpecException($"{maxSeeds.Name} {seeds.MaxSeeds}: expected at least the number of {SpecFields.Seed.Option} values ({seeds.Step})");
            CheckTheory(specs[0], specs.Select(s => s.SigmaW2!.Value).Distinct().Order().ToList());
            var part = Shard.From(parsed.GetValue(shard), parsed.GetValue(shards), Environment.GetEnvironmentVariable);
            return PhaseJob.Execute(specs, seeds, part, parsed.GetValue(output)!, runs, cancel);
        }));
        return command;
    }

    /// <summary>Mean field must be able to place the boundary: σ_b² &gt; 0 (a finite, positive q*), a quadrature that resolves
    /// φ′ at q*, and a critical σ_w² to mark.</summary>
    static void CheckTheory(ExperimentSpec template, IReadOnlyList<double> variances)
    {
        if (!(template.BiasSigma2 > 0) || !double.IsFinite(template.BiasSigma2))
            throw new SpecException($"{SpecFields.BiasSigma2.Option} {Show(template.BiasSigma2)}: expected a positive bias variance (without biases q* is 0 " +
                                    "in the ordered phase and the correlation map is not defined)");
        foreach (double w in variances)
        {
            // The report places each column against ξ_c, which needs a positive q*: with σ_b² 1e-30 it was 0, and the report
            // failed after training every cell.
            double q = new MeanField(template.Activation, w, template.BiasSigma2).FixedPoint();
            if (!(q > 0) || double.IsInfinity(q))
                throw new SpecException($"{SpecFields.BiasSigma2.Option} {Show(template.BiasSigma2)}: too small: at σ_w² = {Show(w)} the fixed variance q* is {Show(q)}, " +
                                        $"so ξ_c is not defined; expected a larger bias variance (the default is {Show(PhaseSweep.SigmaB2)})");
            if (new MeanField(template.Activation, w, template.BiasSigma2).Chi1QuadratureError() > MeanField.AcceptedQuadratureError)
                throw new SpecException($"{SpecFields.SigmaW2.Option} {Show(w)}: too large for the quadrature at σ_b² = {Show(template.BiasSigma2)}; expected a smaller {SpecFields.SigmaW2.Option} or {SpecFields.BiasSigma2.Option}");
        }
        try { CorrelationMap.CriticalSigmaW2(template.Activation, template.BiasSigma2); }
        catch (ArgumentException e) { throw new SpecException($"{SpecFields.BiasSigma2.Option} {Show(template.BiasSigma2)}: {e.Message}"); }
    }

    static string Show(double value) => SpecField.Show(value);
}
