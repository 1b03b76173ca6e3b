namespace Experiments.Models;

/// <summary>Weight initialisations; biases start at zero (or N(0, σ_b²)) except for <see cref="TorchDefault"/>.</summary>
public enum Initialization
{
    /// <summary>U(±√(6/(fan_in+fan_out))): Keras' default, the seed experiment's.</summary>
    GlorotUniform,
    /// <summary>N(0, 2/(fan_in+fan_out)).</summary>
    GlorotNormal,
    /// <summary>U(±√(6/fan_in)), σ_w² = 2.</summary>
    HeUniform,
    /// <summary>N(0, 2/fan_in), σ_w² = 2.</summary>
    HeNormal,
    /// <summary>N(0, 1/fan_in), σ_w² = 1.</summary>
    LecunNormal,
    /// <summary>A random orthogonal matrix times √σ_w² (σ_w² = 1 unless given).</summary>
    Orthogonal,
    /// <summary>N(0, σ_w²/fan_in) with the σ_w² the spec gives.</summary>
    Normal,
    /// <summary>TorchSharp's Linear default, kaiming_uniform(a=√5): W and b ~ U(±1/√fan_in), σ_w² = 1/3.</summary>
    TorchDefault,
}
