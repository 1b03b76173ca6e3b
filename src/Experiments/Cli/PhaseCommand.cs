using System.CommandLine;
using System.Globalization;
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
/// `phase`: trains a grid of tanh nets over σ_w² × depth (× seeds), each in a worker process, and writes the records, phase.png,
/// phase.csv and phase.md into a run folder that is moved into place only when complete (as the main job does).
/// </summary>
public static class PhaseCommand
{
    /// <summary>Largest relative change of χ₁ between 96 and 128 quadrature nodes for a σ_w² to be accepted (as the theory command).</summary>
    const double MaxQuadratureError = 0.05;
    static readonly ExperimentSpec Defaults = PhaseSweep.Template;

    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        var output = new Option<string>("--out") { Description = "output folder (runs go to <out>/runs/<run id>)", DefaultValueFactory = _ => "artifacts" };
        var parallel = new Option<int>("--parallel") { Description = "runs trained at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        Option<T[]> List<T>(string name, string description, IEnumerable<T> values) => new(name)
        {
            Description = description, DefaultValueFactory = _ => values.ToArray(), AllowMultipleArgumentsPerToken = true,
        };
        var sigmaW2 = List("--sigma-w2", "weight variances σ_w² (columns)", PhaseSweep.SigmaW2s);
        var depth = List("--depth", "hidden layers (rows)", PhaseSweep.Depths);
        var seed = List("--seed", "seeds; the figure shows the median accuracy", [Defaults.Seed]);
        var sigmaB2 = new Option<double>("--sigma-b2") { Description = "bias variance σ_b² (positive)", DefaultValueFactory = _ => Defaults.BiasSigma2 };
        var width = new Option<int>("--width") { Description = "units per hidden layer", DefaultValueFactory = _ => Defaults.Width };
        var lr = new Option<double>("--lr") { Description = "SGD learning rate", DefaultValueFactory = _ => Defaults.LearningRate };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => Defaults.Momentum };
        var batch = new Option<int>("--batch") { Description = "batch size", DefaultValueFactory = _ => Defaults.BatchSize };
        var epochs = new Option<int>("--epochs") { Description = "training epochs", DefaultValueFactory = _ => Defaults.Epochs };
        var samples = new Option<int>("--samples") { Description = "images drawn (stratified) from the data", DefaultValueFactory = _ => Defaults.Samples!.Value };
        var precision = new Option<string>("--precision") { Description = "float32 or float64", DefaultValueFactory = _ => RecordJson.Name(Defaults.Precision) };
        var command = new Command("phase", "Phase diagram of tanh nets: training accuracy over σ_w² × depth after a fixed number of SGD steps, " +
                                           "against the mean-field depth scale ξ_c (Schoenholz et al. 2017). Writes phase.png and phase.md.")
        {
            sigmaW2, depth, seed, sigmaB2, width, lr, momentum, batch, epochs, samples, precision, output, parallel,
        };
        command.SetAction(parsed => guarded(parsed, cancel =>
        {
            if (parsed.GetValue(parallel) < 1) throw new SpecException($"--parallel {parsed.GetValue(parallel)}: expected at least 1");
            if (parsed.GetValue(epochs) < 1) throw new SpecException($"--epochs {parsed.GetValue(epochs)}: expected at least 1 training epoch");
            var template = Defaults with
            {
                BiasSigma2 = parsed.GetValue(sigmaB2), Width = parsed.GetValue(width), LearningRate = parsed.GetValue(lr),
                Momentum = parsed.GetValue(momentum), BatchSize = parsed.GetValue(batch), Epochs = parsed.GetValue(epochs),
                Samples = parsed.GetValue(samples), Precision = SpecOptions.ParseEnum<Precision>("--precision", parsed.GetValue(precision)),
            };
            Preflight.CheckGridSize(("--sigma-w2", parsed.GetValue(sigmaW2)!.Distinct().Count()), ("--depth", parsed.GetValue(depth)!.Distinct().Count()),
                ("--seed", parsed.GetValue(seed)!.Distinct().Count()));
            var variances = ListValues.Distinct("--sigma-w2", parsed.GetValue(sigmaW2)!).Order().ToList();
            CheckTheory(template, variances);
            var specs = (from w in variances
                         from d in ListValues.Distinct("--depth", parsed.GetValue(depth)!).Order()
                         from s in ListValues.Distinct("--seed", parsed.GetValue(seed)!)
                         select (template with { SigmaW2 = w, Depth = d, Seed = s }).Validate()).ToList();
            return Execute(specs, parsed.GetValue(output)!, parsed.GetValue(parallel), cancel);
        }));
        return command;
    }

    /// <summary>Mean field must be able to place the boundary: σ_b² &gt; 0 (a finite, positive q*), a quadrature that resolves
    /// φ′ at q*, and a critical σ_w² to mark.</summary>
    static void CheckTheory(ExperimentSpec template, IReadOnlyList<double> variances)
    {
        if (!(template.BiasSigma2 > 0) || !double.IsFinite(template.BiasSigma2))
            throw new SpecException($"--sigma-b2 {Show(template.BiasSigma2)}: expected a positive bias variance (without biases q* is 0 " +
                                    "in the ordered phase and the correlation map is not defined)");
        foreach (double w in variances)
        {
            if (!(w > 0) || !double.IsFinite(w)) throw new SpecException($"--sigma-w2 {Show(w)}: expected positive weight variances");
            // The report places each column against ξ_c, which needs a positive q*: with σ_b² 1e-30 it was 0, and the report
            // failed after training every cell.
            double q = new MeanField(template.Activation, w, template.BiasSigma2).FixedPoint();
            if (!(q > 0) || double.IsInfinity(q))
                throw new SpecException($"--sigma-b2 {Show(template.BiasSigma2)}: too small: at σ_w² = {Show(w)} the fixed variance q* is {Show(q)}, " +
                                        $"so ξ_c is not defined; expected a larger bias variance (the default is {Show(PhaseSweep.SigmaB2)})");
            if (new MeanField(template.Activation, w, template.BiasSigma2).Chi1QuadratureError() > MaxQuadratureError)
                throw new SpecException($"--sigma-w2 {Show(w)}: too large for the quadrature at σ_b² = {Show(template.BiasSigma2)}; expected a smaller --sigma-w2 or --sigma-b2");
        }
        try { CorrelationMap.CriticalSigmaW2(template.Activation, template.BiasSigma2); }
        catch (ArgumentException e) { throw new SpecException($"--sigma-b2 {Show(template.BiasSigma2)}: {e.Message}"); }
    }

    static int Execute(IReadOnlyList<ExperimentSpec> specs, string output, int parallel, CancellationToken cancel) =>
        Job.InFolder(specs, output, parallel, cancel,
            runId => $"[bold]Phase diagram: {specs.Count} run(s)[/] ({specs.Select(s => s.SigmaW2).Distinct().Count()} σ_w² × " +
                     $"{specs.Select(s => s.Depth).Distinct().Count()} depths × {specs.Select(s => s.Seed).Distinct().Count()} seed(s)), " +
                     $"{specs[0].Epochs} epochs on {Markup.Escape(specs[0].Data)}, run {runId}",
            _ => specs.Select(s => new TrainRequest(s)).ToList(),
            (folder, outcome) =>
            {
                var records = outcome.Records;
                var grid = PhaseGrid.FromRecords(records);
                folder.WriteAtomically(PhaseReport.CsvFile, PhaseReport.Csv(grid));
                string? skipped = FigureSet.TrySave(folder.WorkingPath, PhaseFigure.File,
                    path => PhaseFigure.Draw(grid).SavePng(path, FigureStyle.Width, FigureStyle.Height));
                string? figure = skipped is null ? PhaseFigure.File : null;
                folder.WriteAtomically(PhaseReport.File, PhaseReport.Write(folder.RunId, grid, records, figure,
                    [.. outcome.Problems, .. new[] { skipped }.OfType<string>()], planned: specs.Count));
                var (final, pointerWarning) = folder.Commit();

                if (PhaseReport.Incompleteness(grid, records, specs.Count) is { } incomplete) Job.Warn(incomplete.Replace("**", ""));
                AnsiConsole.WriteLine(PhaseReport.Verdict(grid));
                foreach (string warning in outcome.NotStarted.Concat(outcome.Warnings).Append(skipped).Append(pointerWarning).OfType<string>())
                    Job.Warn(warning);
                AnsiConsole.MarkupLine($"Wrote {records.Count} records, {PhaseReport.CsvFile}, {(figure is null ? "" : figure + ", ")}{PhaseReport.File} to [link]{Markup.Escape(final)}[/]");
                return outcome.Conclude();
            });

    static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
