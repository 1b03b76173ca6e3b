using System.Runtime.InteropServices;

namespace Experiments.Workers;

/// <summary>
/// SIGINT (Ctrl+C), SIGTERM and SIGHUP taken as a request to stop after the current step, not as an order to die:
/// they cancel the given token source, and <see cref="Received"/> tells which came first (for exit code 128 + it).
/// Used by the job and by its workers, so both stop the same way.
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly List<PosixSignalRegistration> registrations;
    int received;

    public StopSignals(CancellationTokenSource cancel) =>
        registrations = new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) }
            .Select(s => PosixSignalRegistration.Create(s.Item1, context =>
            {
                context.Cancel = true; // keep running: the current step finishes and what was measured is kept
                Interlocked.CompareExchange(ref received, s.Item2, 0);
                cancel.Cancel();
            })).ToList();

    /// <summary>The number of the first stop signal received, or 0.</summary>
    public int Received => Volatile.Read(ref received);

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
