using System.Globalization;
using Experiments.Records;

namespace Experiments.Workers;

/// <summary>
/// What a worker process and its parent say to each other, one line each. The parent writes a spec (compact JSON)
/// to the worker's standard input; the worker answers on standard output with progress lines, then the record or
/// the reason it failed. A worker trains one spec at a time and nothing else, so no other thread of its process
/// allocates while libtorch runs.
/// </summary>
public static class WorkerProtocol
{
    public const string Command = "worker";
    /// <summary>The worker's first line: its signal handlers are in place, so an interruption from now on returns a record.</summary>
    public const string Ready = "ready";
    const string Epoch = "epoch ";
    const string Step = "step ";
    const string Record = "record ";
    const string Failed = "failed ";
    const string Warning = "warning ";

    /// <summary>The fewest milliseconds between two step lines of a worker: a few a second, so pipes are not flooded.</summary>
    public const int StepLineInterval = 250;

    public static string RequestLine(TrainRequest request) => System.Text.Json.JsonSerializer.Serialize(request, RecordJson.Compact);

    public static TrainRequest ParseRequest(string line) =>
        System.Text.Json.JsonSerializer.Deserialize<TrainRequest>(line, RecordJson.Compact)
        ?? throw new InvalidDataException("worker: empty request line");

    /// <summary>Progress within an epoch: <paramref name="done"/> of its <paramref name="batches"/> batches measured.</summary>
    public static string StepLine(int epoch, int done, int batches) => string.Create(CultureInfo.InvariantCulture,
        $"{Step}{epoch} {done} {batches}");

    public static string EpochLine(EpochRecord epoch) => string.Create(CultureInfo.InvariantCulture,
        $"{Epoch}{epoch.Epoch} {epoch.TrainLoss:R} {epoch.TestAccuracy:R}");

    public static string RecordLine(RunRecord record) => Record + System.Text.Json.JsonSerializer.Serialize(record, RecordJson.Compact);

    /// <summary>A failure reason on one line: the worker's parent shows it as it is.</summary>
    public static string FailedLine(string reason) => Failed + reason.ReplaceLineEndings(" ");

    /// <summary>Something the run's owner should know that did not stop the run (event files that could not be written).</summary>
    public static string WarningLine(string message) => Warning + message.ReplaceLineEndings(" ");

    /// <summary>Reads one line of a worker's output into an event; null for a line that is not part of the protocol.</summary>
    public static WorkerEvent? Parse(string line)
    {
        if (line.StartsWith(Epoch, StringComparison.Ordinal))
        {
            string[] parts = line[Epoch.Length..].Split(' ');
            return new EpochDone(int.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        if (line.StartsWith(Step, StringComparison.Ordinal))
        {
            int[] parts = line[Step.Length..].Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return new StepDone(parts[0], parts[1], parts[2]);
        }
        if (line.StartsWith(Record, StringComparison.Ordinal)) return new RunDone(RecordJson.Deserialize(line[Record.Length..], "worker output"));
        if (line.StartsWith(Failed, StringComparison.Ordinal)) return new RunFailed(line[Failed.Length..]);
        if (line.StartsWith(Warning, StringComparison.Ordinal)) return new RunWarning(line[Warning.Length..]);
        return null;
    }
}

public abstract record WorkerEvent;

/// <summary>An epoch finished: what a progress display shows.</summary>
public sealed record EpochDone(int Epoch, double TrainLoss, double TestAccuracy) : WorkerEvent;

/// <summary>Progress within an epoch: <paramref name="Done"/> of <paramref name="Batches"/> batches (throttled by the worker).</summary>
public sealed record StepDone(int Epoch, int Done, int Batches) : WorkerEvent;

/// <summary>What the parent asks of a worker: train <paramref name="Spec"/>, and if <paramref name="TensorBoard"/> is
/// set, write its TensorBoard event files into that folder (inside the job's partial run folder).</summary>
public sealed record TrainRequest(ExperimentSpec Spec, string? TensorBoard = null);

public sealed record RunDone(RunRecord Record) : WorkerEvent;

public sealed record RunFailed(string Reason) : WorkerEvent;

public sealed record RunWarning(string Message) : WorkerEvent;
