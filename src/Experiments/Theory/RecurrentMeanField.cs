using Experiments.Models;

namespace Experiments.Theory;

/// <summary>
/// Mean-field theory of a vanilla RNN at initialisation, h_t = φ(a_t), a_t = W_hh h_{t−1} + W_ih x_t + b, with h_0 = 0,
/// W_hh ~ N(0, σ_w²/H), W_ih ~ N(0, σ_in²/I), b ~ N(0, σ_b²). Mean field treats the shared W_hh as fresh at every step,
/// which holds at initialisation for wide nets (Chen, Pennington and Schoenholz 2018). The pre-activation variance is
/// driven by each step's input: q_1 = σ_in² m_1 + σ_b², q_t = σ_w² E[φ(√q_{t−1} z)²] + σ_in² m_t + σ_b², m_t the mean x²
/// of row t; and δ_t = ∂L/∂h_t shrinks or grows per step by E‖δ_{t−1}‖² = σ_w² E[φ′(√q_t z)²] E‖δ_t‖², the MLP's χ.
/// </summary>
public sealed record RecurrentMeanField(Activation Activation, double SigmaW2, double InputSigmaW2, double SigmaB2)
{
    MeanField Recurrence => new(Activation, SigmaW2, SigmaB2);

    /// <summary>q_t for t = 1..T, from the inputs' per-step second moments m_t.</summary>
    public double[] Variances(IReadOnlyList<double> stepSecondMoments)
    {
        var q = new double[stepSecondMoments.Count];
        for (int t = 0; t < q.Length; t++)
            q[t] = (t == 0 ? SigmaB2 : Recurrence.NextVariance(q[t - 1])) + InputSigmaW2 * stepSecondMoments[t];
        return q;
    }

    /// <summary>Predicted log10(‖δ_t‖ / ‖δ_T‖) for t = 1..T (the last is 0): half the sum of log10 χ(q_s) over s = t+1..T.</summary>
    public double[] LogDeltaProfile(IReadOnlyList<double> stepSecondMoments)
    {
        var q = Variances(stepSecondMoments);
        var profile = new double[q.Length];
        for (int t = q.Length - 2; t >= 0; t--)
            profile[t] = profile[t + 1] + 0.5 * Math.Log10(Recurrence.Chi(q[t + 1]));
        return profile;
    }
}
