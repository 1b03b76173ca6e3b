using Experiments.Models;
using Experiments.Records;

namespace Experiments.Phase;

/// <summary>
/// The phase diagram's grid and the conditions every point of it shares: the one source for the `phase` command's
/// defaults, the phase hypotheses and the phase snapshot. Tanh, weights N(0, σ_w²/fan_in), biases N(0, 0.05) (Schoenholz et
/// al. 2017's σ_b²); width 64; plain SGD steps at a fixed learning rate on 2,000 digits of the embedded sample.
/// </summary>
/// <remarks>
/// Why these sizes: on 2 cores the whole default grid (8 σ_w² × 6 depths) must finish in minutes. A run's cost grows with
/// depth × width² × steps plus a per-layer tracking cost per step; width 64 and 500 steps (10 epochs of 1,600 training
/// images in batches of 32) keep the deepest run (100 layers) to about 15 s. SGD at 1e-3 with momentum 0.9 trains a
/// 30-layer net at criticality to about 90% in those steps; 1e-2 made it unstable, 3e-3 was no better than 1e-3.
/// </remarks>
public static class PhaseSweep
{
    public const double SigmaB2 = 0.05;
    public static readonly IReadOnlyList<double> SigmaW2s = [1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
    public static readonly IReadOnlyList<int> Depths = [10, 20, 30, 45, 65, 100];
    /// <summary>Every cell's first seeds: four are the fewest that decide a cell (4 of 4 has the Wilson interval [0.51, 1]).</summary>
    public static readonly IReadOnlyList<int> Seeds = [1, 2, 3, 4];
    /// <summary>The most seeds a cell gets where its column's boundary needs them (<see cref="SeedRounds"/>): three rounds
    /// of four after the first.</summary>
    public const int MaxSeeds = 16;

    /// <summary>The spec of one grid point.</summary>
    public static ExperimentSpec Point(double sigmaW2, int depth, int seed = 1) => Template with { SigmaW2 = sigmaW2, Depth = depth, Seed = seed };

    /// <summary>Every point but σ_w², depth and seed.</summary>
    public static readonly ExperimentSpec Template = new()
    {
        Activation = Activation.Tanh,
        Init = Initialization.Normal,
        SigmaW2 = 1,
        BiasSigma2 = SigmaB2,
        Width = 64,
        Optimizer = OptimizerKind.Sgd,
        LearningRate = 1e-3,
        Momentum = 0.9,
        BatchSize = 32,
        Epochs = 10,
        Samples = 2000,
    };
}
