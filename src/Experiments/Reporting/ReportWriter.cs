using System.Globalization;
using System.Text;
using Experiments.Models;
using Experiments.Records;

namespace Experiments.Reporting;

/// <summary>report.md: conditions, the summary table, a plain reading of it, the figures and the environment.</summary>
public static class ReportWriter
{
    /// <summary>The hypothesis verdicts of the last `dotnet test` that wrote into <paramref name="output"/>, if any.</summary>
    public static string? VerdictsIn(string output)
    {
        string file = Path.Combine(output, "verdicts", "verdicts.md");
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <param name="problems">Runs that failed and figures that could not be drawn, one line each: listed, never hidden.</param>
    /// <param name="planned">The runs the job set out to train; by default the records given (a report over folders
    /// cannot know what was planned).</param>
    /// <param name="completeness">How many of the specs asked for are complete, then the missing and incomplete ones, one line each.</param>
    public static string Write(string runId, IReadOnlyList<RunRecord> records, IReadOnlyList<string> figures, string? verdicts,
        IReadOnlyList<string>? problems = null, int? planned = null, IReadOnlyList<string>? completeness = null)
    {
        var data = Merged(records.Select(r => r.Data).Distinct().ToList()); // one for a job; a merged report may hold several
        var md = new StringBuilder();
        md.AppendLine($"# Vanishing and exploding gradients: run {runId}").AppendLine();
        string? incomplete = Incompleteness(records, planned ?? records.Count, "runs");
        if (incomplete != null) md.AppendLine(incomplete).AppendLine();
        string network = records.All(r => r.Spec.Model.IsRecurrent()) ? "a recurrent net" : records.Any(r => r.Spec.Model.IsRecurrent()) ? "an MLP or a recurrent net" : "an MLP";
        md.AppendLine($"Each configuration is {network} trained on {data.Name}; gradients are tracked layer by layer at every step ")
          .AppendLine("and averaged per epoch. Epoch 0 is measured at initialisation, before any update. ")
          .AppendLine("\"first/last\" compares the first hidden layer with the last hidden layer, as log10 of the ratio: ")
          .AppendLine("-2 means the first layer's gradient is 100 times smaller than the last one's.").AppendLine();
        if (records.Any(r => r.Spec.Model.IsRecurrent()))
            md.AppendLine("A recurrent net (rnn, lstm, gru) reads each image as a sequence, a row of pixels a time step (or one pixel a step ")
              .AppendLine("with `--sequence pixels`), and classifies ")
              .AppendLine("it from its last hidden state; its gradients are tracked time step by time step (δ_t = ∂L/∂h_t, through ")
              .AppendLine("every later step), and its \"first/last\" compares the first time step with the last.").AppendLine();

        md.AppendLine("## Conditions").AppendLine();
        md.AppendLine("| setting | value |").AppendLine("|---|---|");
        foreach (var (name, value) in Conditions(records.Select(r => r.Spec).ToList(), data)) md.AppendLine($"| {name} | {value} |");
        md.AppendLine();

        if (completeness is { Count: > 0 })
        {
            md.AppendLine("## Completeness").AppendLine().AppendLine($"**{completeness[0]}**").AppendLine();
            foreach (string line in completeness.Skip(1)) md.AppendLine($"- {line}");
            if (completeness.Count > 1) md.AppendLine();
        }

        md.AppendLine("## Summary").AppendLine();
        // Records that share a file name but not a spec (other samples, epochs, data) are told apart in every row.
        var distinction = Configurations.Distinctions(records);
        md.AppendLine(MarkdownTable(SummaryRow.Headers, records.Select(r => SummaryRow.From(r, r.Spec.FileName() + distinction(r.Spec)).Cells()))).AppendLine();
        md.AppendLine(SummaryRow.Caption).AppendLine();
        if (records.Any(r => r.Spec.Model.IsRecurrent())) md.AppendLine(SummaryRow.RecurrentCaption).AppendLine();
        foreach (var record in records) md.AppendLine($"- {Reading(record, record.Spec.Label + distinction(record.Spec))}");
        md.AppendLine();
        if (incomplete != null) md.AppendLine(incomplete).AppendLine();

        if (problems is { Count: > 0 })
        {
            md.AppendLine("## Problems").AppendLine();
            foreach (string problem in problems) md.AppendLine($"- {problem}");
            md.AppendLine();
        }

        if (verdicts != null) md.AppendLine("## Hypothesis verdicts (from the last `dotnet test`)").AppendLine().AppendLine(verdicts).AppendLine();

        md.AppendLine("## Figures").AppendLine();
        // The side-by-side overview and the learning curves first, as the classic experiment shows them.
        foreach (string figure in figures.OrderBy(f => f == Plotting.FigureSet.Overview ? 0 : f == Plotting.FigureSet.LearningCurves ? 1 : 2))
            md.AppendLine($"![{figure}]({figure})").AppendLine();

        var environment = records[0].Environment;
        md.AppendLine("## Environment").AppendLine();
        md.AppendLine($"TorchSharp {environment.TorchSharp}, libtorch {environment.LibTorch}, {environment.Runtime}, " +
                      $"{environment.Os}, {environment.Cpu}, {environment.Threads} libtorch thread(s) per run, " +
                      $"MKL_CBWR={environment.MklCbwr ?? "(unset)"}, ATEN_CPU_CAPABILITY={environment.AtenCpuCapability ?? "(unset)"}.");
        if (data.Credit != null) md.AppendLine().AppendLine(data.Credit);
        return md.ToString();
    }

    /// <summary>
    /// "**Incomplete: 10 of 24 runs finished** ...": what a report over an interrupted or partly failed job says, at its top
    /// and beside its results; null when every planned run finished (a diverged run finished: divergence is its result).
    /// </summary>
    internal static string? Incompleteness(IReadOnlyList<RunRecord> records, int planned, string unit)
    {
        int stoppedEarly = records.Count(r => r.Interrupted), finished = records.Count - stoppedEarly;
        int missing = Math.Max(0, planned - records.Count);
        if (stoppedEarly == 0 && missing == 0) return null;
        var parts = new List<string>();
        if (stoppedEarly > 0) parts.Add($"{stoppedEarly} did not complete (interrupted: their records stop early)");
        if (missing > 0) parts.Add($"{missing} have no record (failed or not started)");
        return $"**Incomplete: {finished} of {Math.Max(planned, records.Count)} {unit} finished**; {string.Join("; ", parts)}. " +
               "What this report says is about the finished ones only.";
    }

    /// <summary>One description of several records' data: each data set, split and credit named once.</summary>
    static DataDescription Merged(IReadOnlyList<DataDescription> data)
    {
        if (data.Count == 1) return data[0];
        string Each(IEnumerable<string?> values) => string.Join("; ", values.OfType<string>().Distinct());
        var credits = data.Select(d => d.Credit).OfType<string>().Distinct().ToList();
        return new DataDescription(Each(data.Select(d => d.Name)), credits.Count == 0 ? null : Each(credits), Each(data.Select(d => d.Split)));
    }

    public static string MarkdownTable(IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("| " + string.Join(" | ", headers) + " |");
        table.AppendLine("|" + string.Concat(headers.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var cells in rows) table.AppendLine("| " + string.Join(" | ", cells) + " |");
        return table.ToString().TrimEnd();
    }

    /// <summary>The job's settings; where the configurations differ (depth, activation, batch size), every value, in order.</summary>
    internal static IEnumerable<(string, string)> Conditions(IReadOnlyList<ExperimentSpec> specs, DataDescription data)
    {
        yield return ("data", data.Name);
        yield return ("split", data.Split);
        foreach (var field in SpecFields.All.Where(f => f.ReportLabel != null))
            if (string.Join(", ", specs.Select(field.ReportValue).OfType<string>().Distinct()) is { Length: > 0 } values)
                yield return (field.ReportLabel!, values);
    }

    static string Through(double log) => log switch
    {
        < -1 => $"shrinks by 10^{-log:0.0} back to the first time step",
        > 1 => $"grows by 10^{log:0.0} back to the first time step",
        double.NaN => "is not finite",
        _ => "stays within a factor of 10 across the time steps",
    };

    /// <summary>A sentence per configuration that says what the ratio numbers mean.</summary>
    static string Reading(RunRecord record, string label)
    {
        var row = SummaryRow.From(record);
        string Direction(double log) => log switch
        {
            < -1 => $"shrinks by 10^{-log:0.0} toward the input",
            > 1 => $"grows by 10^{log:0.0} toward the input",
            _ => "stays within a factor of 10 across layers",
        };
        string learned = record.Final.TestAccuracy >= 0.5 ? "learns" : "does not learn";
        if (row.Recurrent)
            return $"**{label}**: δ {Through(row.LogDeltaRatioInitial)} at initialisation and {Through(row.LogDeltaRatioFinal)} at " +
                   $"the last epoch; it {learned} (test accuracy {row.TestAccuracy:0.000})" + (record.Diverged ? $"; diverged ({row.Divergence})." : ".");
        return $"**{label}**: at initialisation δ {Direction(row.LogDeltaRatioInitial)}; at the last epoch the weight gradient " +
               $"{Direction(row.LogWeightRatioFinal)}; it {learned} (test accuracy {row.TestAccuracy:0.000})" +
               (record.Diverged ? $"; diverged ({row.Divergence})." : ".");
    }
}
