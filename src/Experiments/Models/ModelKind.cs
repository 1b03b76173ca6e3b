namespace Experiments.Models;

/// <summary>The network a spec trains: the classic multilayer perceptron, or a recurrent net that reads each image as a
/// sequence (one row of pixels a time step) and classifies it from its last hidden state.</summary>
public enum ModelKind
{
    /// <summary>Hidden layers of one width (<see cref="Mlp"/>).</summary>
    Mlp,
    /// <summary>Elman's vanilla recurrent net: h_t = φ(W_ih x_t + W_hh h_{t−1} + b).</summary>
    Rnn,
    /// <summary>Long short-term memory (Hochreiter and Schmidhuber 1997), PyTorch's gate order i, f, g, o.</summary>
    Lstm,
    /// <summary>Gated recurrent unit (Cho et al. 2014), PyTorch's formulation (r, z, n).</summary>
    Gru,
}

/// <summary>How a recurrent net's hidden-to-hidden matrix W_hh starts; its input and read-out weights follow <c>--init</c>.</summary>
public enum RecurrentInitialization
{
    /// <summary>A random orthogonal matrix per gate (Keras' default for recurrent kernels): every singular value 1.</summary>
    Orthogonal,
    /// <summary>The identity per gate (Le, Jaitly and Hinton 2015, "IRNN"): the state is carried over unchanged.</summary>
    Identity,
    /// <summary>Drawn as <c>--init</c> says (with its σ_w²), like every other weight: what mean-field theory assumes.</summary>
    AsInit,
}

/// <summary>How a recurrent net reads an image: a row of pixels a time step (28 steps on MNIST), or one pixel a step on
/// the image shrunk by 2×2 averaging (196 steps on MNIST: the longer horizon where gradients must survive many more steps).</summary>
public enum Sequence { Rows, Pixels }

public static class ModelKinds
{
    public static bool IsRecurrent(this ModelKind kind) => kind != ModelKind.Mlp;

    /// <summary>How many gate blocks the recurrent matrices stack (PyTorch's layout: [gates × hidden, ·]).</summary>
    public static int Gates(this ModelKind kind) => kind switch
    {
        ModelKind.Rnn => 1,
        ModelKind.Lstm => 4,
        ModelKind.Gru => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a recurrent model"),
    };
}
