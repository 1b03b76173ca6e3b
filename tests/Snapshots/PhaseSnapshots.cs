using System.Runtime.CompilerServices;
using ApprovalTests.Namers;
using Experiments.Phase;
using Experiments.Plotting;
using Experiments.Records;
using Experiments.Reporting;
using NUnit.Framework;
using ScottPlot;

namespace Snapshots;

/// <summary>
/// The phase diagram as the phase command draws and tabulates it (phase.png and the tables of phase.md), from a committed
/// phase.csv that the command wrote with its defaults. A change to the figure, the theory curves, the boundary estimate or
/// the verdict shows up here.
/// </summary>
/// <remarks>
/// From measured numbers, not from training in the test, so that no CPU can change the snapshot: float64 does not make deep
/// tanh training agree across kernels. Trained here in float64 (width 32, 200 steps), σ_w² = 4 at 30 layers reached 0.329
/// training accuracy under the default AVX-512 kernels and 0.218 under ATEN_CPU_CAPABILITY=default: the kernels differ in
/// the last bit, and chaotic deep training amplifies that. The phase hypotheses judge the training over seeds.
/// </remarks>
[TestFixture, UseApprovalSubdirectory(Snapshot.ApprovedFolderName)]
public class PhaseSnapshots
{
    /// <summary>The committed phase.csv: `phase` with its defaults (seeds 1-4 a cell, 8 where the boundary needed them: 340 runs).</summary>
    public static readonly string Input = Path.Combine(Path.GetDirectoryName(Snapshot.ApprovedFolder)!, "Inputs", PhaseReport.CsvFile);

    /// <summary>Each test's snapshot files, by test name (see <see cref="ClassicSnapshots.Tests"/>).</summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<SnapshotFile>>> Tests =
        new Dictionary<string, Func<IReadOnlyList<SnapshotFile>>> { [nameof(Tanh_phase_diagram)] = Files };

    [Test] public void Tanh_phase_diagram() => Verify();

    static void Verify([CallerMemberName] string test = "") => Snapshot.VerifyAll(Tests[test]());

    static IReadOnlyList<SnapshotFile> Files()
    {
        var grid = new Lazy<PhaseGrid>(() => new PhaseGrid(PhaseSweep.Template, PhaseReport.ReadCsv(File.ReadAllText(Input), Input)));
        return
        [
            Snapshot.Png(Path.GetFileNameWithoutExtension(PhaseFigure.File),
                () => PhaseFigure.Draw(grid.Value).GetImageBytes(FigureStyle.Width, FigureStyle.Height, ImageFormat.Png)),
            Snapshot.Text("phase-tables", () => PhaseReport.Tables(grid.Value)),
        ];
    }
}
