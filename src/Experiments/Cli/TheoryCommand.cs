using System.CommandLine;
using System.Globalization;
using Experiments.Data;
using Experiments.Models;
using Experiments.Records;
using Experiments.Theory;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>`theory`: mean-field predictions for a grid of activations and weight variances, no training.</summary>
public static class TheoryCommand
{
    const int MaxDepth = 100_000;

    public static Command Create(Func<ParseResult, Func<CancellationToken, int>, int> guarded)
    {
        // The spec fields' names, for a table of theory rather than a grid of runs.
        var activations = new Option<string[]>(SpecFields.Activation.Option)
        {
            Description = SpecFields.Activation.Help, DefaultValueFactory = _ => ["sigmoid", "tanh", "relu"], AllowMultipleArgumentsPerToken = true,
        };
        var sigmaW2 = new Option<double[]>(SpecFields.SigmaW2.Option)
        {
            Description = "weight variance(s) σ_w²", DefaultValueFactory = _ => [0.5, 1, 2, 4, 16], AllowMultipleArgumentsPerToken = true,
        };
        var sigmaB2 = new Option<double>(SpecFields.BiasSigma2.Option) { Description = SpecFields.BiasSigma2.Help };
        var depth = new Option<int>(SpecFields.Depth.Option) { Description = SpecFields.Depth.Help, DefaultValueFactory = _ => 20 };
        var command = new Command("theory", "Mean-field predictions at initialisation: fixed point q*, χ₁ and the log10 δ ratio " +
                                            "between the first and last hidden layer (inputs: the embedded sample's E[x²]).")
        {
            activations, sigmaW2, sigmaB2, depth,
        };
        command.SetAction(parsed => guarded(parsed, _ =>
        {
            var chosen = ListValues.Distinct(activations.Name,
                parsed.GetValue(activations)!.Select(SpecFields.Activation.Parse).ToList());
            var variances = ListValues.Distinct(sigmaW2.Name, parsed.GetValue(sigmaW2)!);
            if (variances.Any(v => !(v > 0))) throw SpecFields.SigmaW2.Refuse(string.Join(" ", variances), "positive variances");
            if (parsed.GetValue(sigmaB2) < 0) throw SpecFields.BiasSigma2.Refuse(parsed.GetValue(sigmaB2), "a non-negative variance");
            if (parsed.GetValue(depth) < 2) throw SpecFields.Depth.Refuse(parsed.GetValue(depth), "at least 2 hidden layers");
            // The profile takes a quadrature per layer: 10^5 layers take about a second, 10^8 minutes and gigabytes.
            if (parsed.GetValue(depth) > MaxDepth) throw SpecFields.Depth.Refuse(parsed.GetValue(depth), $"at most {MaxDepth} hidden layers");
            Show(chosen, variances, parsed.GetValue(sigmaB2), parsed.GetValue(depth));
            return 0;
        }));
        return command;
    }

    static void Show(IReadOnlyList<Activation> activations, IReadOnlyList<double> variances, double sigmaB2, int depth)
    {
        double secondMoment = DataSource.LoadSample().SecondMoment();
        var table = new Table().Border(TableBorder.Rounded)
            .Caption(Markup.Escape($"weights N(0, σ_w²/fan_in) in every layer, inputs with E[x²] = {secondMoment:0.0000} (embedded sample); " +
                                   "χ₁ < 1 ordered (δ vanishes), > 1 chaotic (δ explodes)"));
        foreach (string header in new[] { "activation", "σ_w²", "σ_b²", "q*", "χ₁", "phase", $"log10 δ first/last ({depth} layers)" })
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        foreach (var activation in activations)
            foreach (double variance in variances)
            {
                var field = new MeanField(activation, variance, sigmaB2);
                if (field.Chi1QuadratureError() is var error && error > MeanField.AcceptedQuadratureError)
                    throw new SpecException($"{SpecFields.SigmaW2.Option} {F(variance)}: at q* = {F(field.FixedPoint())}, {RecordJson.Name(activation)}'s φ′ is too narrow " +
                                            "for the quadrature (" + (double.IsInfinity(error) ? "every node misses it" : $"χ₁ changes by {error:P0} when its step is halved") +
                                            $"); expected a smaller {SpecFields.SigmaW2.Option} or {SpecFields.BiasSigma2.Option}");
                double chi = field.Chi1();
                string phase = Math.Abs(chi - 1) < 1e-6 ? "critical" : chi < 1 ? "ordered" : "chaotic";
                table.AddRow(RecordJson.Name(activation), F(variance), F(sigmaB2), F(field.FixedPoint()), F(chi), phase,
                    field.LogDeltaRatio(depth, variance, secondMoment).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture));
            }
        AnsiConsole.Write(table);
    }

    static string F(double value) => double.IsNaN(value) ? "any" : value.ToString("G4", CultureInfo.InvariantCulture);
}
