using System.Runtime.InteropServices;

namespace Experiments.Workers;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM and SIGHUP taken as a request to stop after the current step, not as an order to die:
/// they cancel the given token source, and <see cref="Received"/> tells which came first (for exit code 128 + it).
/// Used by the job and by its workers, so both stop the same way. A command (not a worker) stops at once in any other
/// phase (planning, preflight, theory, report, figures): nothing there is worth finishing, and every file is written
/// atomically, so exiting leaves no half of one (a partial run folder with records is recovered by the next job).
/// </summary>
public sealed class StopSignals : IDisposable
{
    static int trainingUnderWay;
    readonly List<PosixSignalRegistration> registrations;
    int received;

    /// <param name="exitOutsideTraining">A command's: exit with 128 + the signal unless <see cref="WhileTraining"/> is on.</param>
    public StopSignals(CancellationTokenSource cancel, bool exitOutsideTraining = false) =>
        registrations = new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) }
            .Select(s => PosixSignalRegistration.Create(s.Item1, context =>
            {
                context.Cancel = true; // keep running: the current step finishes and what was measured is kept
                Interlocked.CompareExchange(ref received, s.Item2, 0);
                cancel.Cancel();
                if (exitOutsideTraining && Volatile.Read(ref trainingUnderWay) == 0)
                {
                    Console.Error.WriteLine("interrupted: stopped before or after training; finished records are kept");
                    Environment.Exit(128 + s.Item2);
                }
            })).ToList();

    /// <summary>Marks training under way until disposed: a signal then stops it after the step and keeps what was measured.</summary>
    public static IDisposable WhileTraining()
    {
        Interlocked.Increment(ref trainingUnderWay);
        return new Training();
    }

    sealed class Training : IDisposable
    {
        int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) Interlocked.Decrement(ref trainingUnderWay);
        }
    }

    /// <summary>The number of the first stop signal received, or 0.</summary>
    public int Received => Volatile.Read(ref received);

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
