namespace Hypotheses.Vocabulary;

/// <summary>A claim under test: a short name and, where it comes from the classic experiment, its words.</summary>
public sealed record Claim(string Name, string Quote)
{
    // The classic experiment's README, quoted.
    public static readonly Claim SigmoidVanishes = new("deep sigmoid gradients vanish",
        "Sigmoid Activation in Deep Networks: Gradients tend to vanish in deep networks with Sigmoid activation");
    public static readonly Claim SigmoidApproachesZeroOverTime = new("deep sigmoid gradients approach zero over time",
        "... as the gradient values approach zero over time");
    public static readonly Claim ReluExplodes = new("deep ReLU gradients explode",
        "ReLU can lead to exploding gradients in certain layers of deep networks, causing unstable training");
    public static readonly Claim ReluMitigates = new("ReLU mitigates vanishing",
        "ReLU (mitigates vanishing gradient issue ...)");
    public static readonly Claim ShallowStable = new("shallow nets are stable",
        "Shallow networks with both Sigmoid and ReLU are less prone to vanishing or exploding gradients, resulting in relatively stable gradient magnitudes");
    public static readonly Claim ChoiceMatters = new("activation and depth decide whether training works",
        "Choosing appropriate activation functions and network depth is essential for stable training");

    // Remedies the field knows.
    public static readonly Claim HeRestoresRelu = new("He initialisation restores δ flow in deep ReLU nets",
        "He et al. 2015: σ_w² = 2 makes ReLU nets critical (χ₁ = 1)");
    public static readonly Claim BatchNormRestoresSigmoid = new("batch normalisation restores gradient flow in deep sigmoid nets",
        "Ioffe & Szegedy 2015");
    public static readonly Claim ResidualRestoresSigmoid = new("residual connections restore gradient flow in deep sigmoid nets",
        "He et al. 2016");
    public static readonly Claim ClippingBoundsUpdates = new("gradient clipping bounds the update where gradients explode",
        "Pascanu et al. 2013");
    // Theory as a judge of the measurements.
    public static readonly Claim MeanFieldPredictsDelta = new("mean-field theory predicts the δ ratio at initialisation",
        "Poole et al. 2016; Schoenholz et al. 2017: E‖δ_l‖² = χ(q_l) E‖δ_{l+1}‖²");
    public static readonly Claim PascanuBound = new("the sigmoid bound ‖δ_l‖ ≤ Π(‖W_k‖₂/4)‖δ_L‖ holds on every batch",
        "Pascanu et al. 2013: σ′ ≤ 1/4");
    public static readonly Claim ReluWeightGradientsFlat = new("ReLU weight gradients are flat across layers at initialisation while δ is not",
        "With zero biases, activations grow by the factor by which δ shrinks (README, why two gradients)");

    public static readonly Claim TanhGlorotNearCritical = new("tanh with Glorot initialisation is close to critical",
        "Glorot & Bengio 2010; mean field: tanh is critical at σ_w² = 1, σ_b = 0");

    // The phase diagram (Schoenholz, Gilmer, Ganguli and Sohl-Dickstein 2017, "Deep Information Propagation").
    public static readonly Claim PhaseInsideTrains = new("nets well within the mean-field depth scale ξ_c train",
        "Schoenholz et al. 2017: a signal about two inputs survives about ξ_c = −1/ln χ_c layers; nets well within it train");
    public static readonly Claim PhaseOutsideFails = new("nets much deeper than 6ξ_c do not train",
        "Schoenholz et al. 2017: networks much deeper than about 6ξ_c do not train");
    public static readonly Claim PhaseBoundaryAtSixXiC = new("the trainability boundary is at 6ξ_c",
        "Schoenholz et al. 2017: on MNIST the trainable depth ends at about 6ξ_c");

    // Recurrent nets, where vanishing and exploding gradients were first named.
    public static readonly Claim RnnVanishesAtTheoryRate = new("a vanilla tanh RNN's δ vanishes through time at the rate mean field predicts",
        "Bengio, Simard and Frasconi 1994; mean field with fresh weights per step (Chen, Pennington and Schoenholz 2018): E‖δ_{t−1}‖² = χ(q_t) E‖δ_t‖²");
    public static readonly Claim RecurrentPascanuBound = new("‖δ_t‖ ≤ (γ‖W_hh‖₂)^(T−t) ‖δ_T‖ holds on every batch",
        "Pascanu, Mikolov and Bengio 2013, with γ = 1 the bound on tanh′");
    public static readonly Claim ReluRnnExplodes = new("a ReLU RNN whose W_hh has spectral radius above 1 explodes and diverges without clipping",
        "Pascanu, Mikolov and Bengio 2013: a largest eigenvalue above 1 is necessary for exploding gradients");
    public static readonly Claim ClippingRescuesRnn = new("gradient clipping keeps that ReLU RNN finite and learning",
        "Pascanu, Mikolov and Bengio 2013: clip the gradient norm");
    public static readonly Claim IdentityRnnKeepsDelta = new("a ReLU RNN with identity W_hh keeps δ across the sequence and learns",
        "Le, Jaitly and Hinton 2015 (IRNN)");
    public static readonly Claim LstmKeepsDelta = new("an LSTM with forget-gate bias 1 keeps δ across the sequence far better than a tanh RNN, and learns",
        "Hochreiter and Schmidhuber 1997; Jozefowicz, Zaremba and Sutskever 2015 (forget bias 1)");
    public static readonly Claim GruKeepsDelta = new("a GRU keeps δ across the sequence far better than a tanh RNN, and learns",
        "Cho et al. 2014; Chung et al. 2014");
    public static readonly Claim OrthogonalNearIsometry = new("orthogonal W_hh brings a tanh RNN near isometry at initialisation",
        "Saxe, McClelland and Ganguli 2014; Henaff, Szlam and LeCun 2016");
}
