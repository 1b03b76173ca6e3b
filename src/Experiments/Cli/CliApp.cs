using System.CommandLine;
using Experiments.Records;
using Spectre.Console;

namespace Experiments.Cli;

/// <summary>
/// The command line. With no arguments it reproduces the classic experiment (5 and 20 hidden layers × sigmoid and
/// ReLU) on the embedded sample. Bad input gives a one-line error naming the option or file, and exit code 2.
/// </summary>
public static class CliApp
{
    public const int BadInput = 2;

    public static int Main(string[] args)
    {
        Workers.Allocator.KeepFreedMemory();
        if (args is [Workers.WorkerProtocol.Command]) return Workers.WorkerMain.Run(); // a training process of a job (internal)
        var options = SpecOptions.Classic();
        var output = JobOptions.Output("runs go to <out>/runs/<run id>");
        var parallel = JobOptions.Parallel();
        var tensorBoard = new Option<bool>("--tensorboard")
        {
            Description = "also write TensorBoard event files (per-step scalars per layer, gradient histograms) to <run>/tensorboard",
        };
        var verbose = new Option<bool>("--verbose") { Description = "show stack traces of errors", Recursive = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "check the options and data, list the configurations and the files a run writes; train nothing" };

        var root = new RootCommand("Vanishing and exploding gradients: train MLPs on MNIST and track gradients layer by layer.\n" +
                                   "With no options: the classic experiment, 5 and 20 hidden layers × sigmoid and ReLU.");
        foreach (var option in options.All) root.Options.Add(option);
        root.Options.Add(output);
        root.Options.Add(parallel);
        root.Options.Add(tensorBoard);
        root.Options.Add(verbose);
        root.Options.Add(dryRun);
        root.SetAction(parsed => Guarded(parsed, verbose, cancel =>
        {
            int runs = JobOptions.ParallelOf(parsed, parallel);
            return parsed.GetValue(dryRun)
                ? MainJob.DryRun(options.Specs(parsed), runs, parsed.GetValue(output)!)
                : MainJob.Execute(options.Specs(parsed), parsed.GetValue(output)!, runs, parsed.GetValue(tensorBoard), cancel);
        }));

        root.Subcommands.Add(TheoryCommand.Create((parsed, action) => Guarded(parsed, verbose, action)));
        root.Subcommands.Add(PhaseCommand.Create((parsed, action) => Guarded(parsed, verbose, action)));
        root.Subcommands.Add(SweepCommand.Create((parsed, action) => Guarded(parsed, verbose, action)));
        root.Subcommands.Add(ReportCommand.Create((parsed, action) => Guarded(parsed, verbose, action)));
        root.Subcommands.Add(BenchCommand.Create((parsed, action) => Guarded(parsed, verbose, action)));
        NumberSyntax.ApplyTo(root);

        var parsedArgs = root.Parse(args);
        // A mistyped option after a list (`--seed 1 2 3 --dry-runn`) is read as one more value, which the parser may even
        // accept: name it as what it is, whatever else is wrong.
        string? unknown = UnknownOption.Find(args, parsedArgs);
        if (unknown is not null || parsedArgs.Errors.Count > 0)
        {
            string first = unknown ?? parsedArgs.Errors[0].Message;
            Console.Error.WriteLine($"error: {first}"); // the first; the rest often follow from it
            Console.Error.WriteLine("Run with --help to see the options.");
            return BadInput;
        }
        return parsedArgs.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>
    /// Runs an action with Ctrl+C (SIGINT), SIGTERM and SIGHUP turned into cancellation (the action keeps what was
    /// measured and returns <see cref="Job.Interrupted"/>; the exit code is then 128 + the signal: 130, 143, 129),
    /// and known bad input into a one-line error (exit 2); a failure to read or write that is not the input's (a full
    /// disk) is one line too, with exit 1.
    /// </summary>
    static int Guarded(ParseResult parsed, Option<bool> verbose, Func<CancellationToken, int> action)
    {
        using var cancel = new CancellationTokenSource();
        using var signals = new Workers.StopSignals(cancel, exitOutsideTraining: true);
        try
        {
            int result = action(cancel.Token);
            return result == Job.Interrupted && signals.Received != 0 ? 128 + signals.Received : result;
        }
        catch (Exception e) when (e is BadInputException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parsed.GetValue(verbose)) Console.Error.WriteLine(e);
            return BadInput;
        }
        catch (IOException e) // the input was fine: the machine could not write or read (a full disk, a broken pipe)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parsed.GetValue(verbose)) Console.Error.WriteLine(e);
            return Job.WriteFailed;
        }
        catch (Exception e) when (!parsed.GetValue(verbose)) // unforeseen: one line, not pages of C++ frames
        {
            Console.Error.WriteLine($"error: {Training.TorchLoadFailure.Describe(e) ?? e.Message.Split('\n')[0].Trim()} (unexpected; --verbose shows where)");
            return 1;
        }
    }
}
