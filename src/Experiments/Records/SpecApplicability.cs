using System.Text.Json;
using Experiments.Models;

namespace Experiments.Records;

/// <summary>
/// When a spec field takes effect: each rule stated once, for validation (a value that would change nothing is refused),
/// option grids (where a value does not apply, the spec keeps its default) and CSVs (where a field does not apply, its
/// cell is empty). Fields without a rule always apply.
/// </summary>
public static class SpecApplicability
{
    /// <summary>σ_w² sets the variance of <c>normal</c> weights and the gain² of <c>orthogonal</c>; the others set their own.</summary>
    public static bool SigmaW2Applies(Initialization init) => init is Initialization.Normal or Initialization.Orthogonal;

    public static bool MomentumApplies(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd;

    /// <summary><c>torch-default</c> draws its biases from U(±1/√fan_in), whatever σ_b² says.</summary>
    public static bool BiasSigma2Applies(Initialization init) => init != Initialization.TorchDefault;

    /// <summary>Whether the field named <paramref name="jsonName"/> (as the record's JSON names it) takes effect in <paramref name="spec"/>.</summary>
    public static bool Applies(ExperimentSpec spec, string jsonName) => jsonName switch
    {
        _ when jsonName == Json(nameof(ExperimentSpec.SigmaW2)) => SigmaW2Applies(spec.Init),
        _ when jsonName == Json(nameof(ExperimentSpec.Momentum)) => MomentumApplies(spec.Optimizer),
        _ when jsonName == Json(nameof(ExperimentSpec.BiasSigma2)) => BiasSigma2Applies(spec.Init),
        _ => true,
    };

    static string Json(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);
}
