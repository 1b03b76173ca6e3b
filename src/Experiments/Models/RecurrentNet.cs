using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>The shape of a recurrent net: an image of <paramref name="Rows"/> × <paramref name="Columns"/> pixels read as a
/// <paramref name="Sequence"/> of time steps, a hidden state of <paramref name="Hidden"/> units, a Linear read-out from the
/// last state. <paramref name="Activation"/> is the vanilla RNN's φ (the gated cells fix theirs).</summary>
public sealed record RecurrentOptions(ModelKind Kind, Sequence Sequence, int Rows, int Columns, int Hidden, int Outputs, Activation Activation)
{
    public int Steps => Sequence == Sequence.Rows ? Rows : Rows / 2 * (Columns / 2);
    public int InputsPerStep => Sequence == Sequence.Rows ? Columns : 1;

    /// <summary>Images [batch, rows·columns] as the sequence [batch, steps, inputs per step]: rows as they are, or pixels
    /// one by one after 2×2 averaging.</summary>
    public Tensor ToSequence(Tensor images)
    {
        long batch = images.shape[0];
        if (Sequence == Sequence.Rows) return images.view(batch, Steps, InputsPerStep);
        using var grid = images.view(batch, 1, Rows, Columns);
        using var shrunk = nn.functional.avg_pool2d(grid, 2);
        return shrunk.view(batch, Steps, InputsPerStep);
    }
}

/// <summary>
/// A one-layer recurrent net unrolled by hand over the time steps, so that every hidden state h_t is a tensor of its own
/// whose total gradient ∂L/∂h_t (through every later step) the backward hands over, as an MLP's layer outputs are. The
/// cells follow PyTorch's equations and parameter layout (W_ih [gates·H, I] with b_ih, W_hh [gates·H, H] with b_hh), so
/// that TorchSharp's own <c>nn.RNN</c>, <c>nn.LSTM</c> and <c>nn.GRU</c> compute the same function (a test checks it):
/// <list type="bullet">
/// <item>RNN: h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)</item>
/// <item>LSTM: [i f g o] = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh; c_t = σ(f)⊙c_{t−1} + σ(i)⊙tanh(g); h_t = σ(o)⊙tanh(c_t)</item>
/// <item>GRU: r = σ(·), z = σ(·) as above; n = tanh(W_in x_t + b_in + r⊙(W_hn h_{t−1} + b_hn)); h_t = n + z⊙(h_{t−1} − n)</item>
/// </list>
/// The input projection of every step is one matrix product before the loop; the states start at zero.
/// </summary>
public sealed class RecurrentNet : TrackedModel
{
    readonly ActivationFunction activation;
    readonly List<Tensor> gates = new();

    public RecurrentOptions Options { get; }
    /// <summary>W_ih and b_ih, every gate stacked.</summary>
    public Linear Input { get; }
    /// <summary>W_hh and b_hh, every gate stacked.</summary>
    public Linear Recurrent { get; }
    public Linear Readout { get; }

    /// <summary>Each time step's hidden state h_t of the last forward (kept with <see cref="TrackedModel.KeepActivations"/>).</summary>
    public IReadOnlyList<Tensor> States => Kept;

    /// <summary>Each time step's gate that keeps the old state, in [0, 1]: the LSTM's forget gate σ(f), the GRU's update gate
    /// σ(z); empty for the vanilla RNN.</summary>
    public IReadOnlyList<Tensor> KeepGates => gates;

    public RecurrentNet(RecurrentOptions options) : base("RecurrentNet")
    {
        Options = options;
        activation = ActivationFunction.Of(options.Activation);
        int stacked = options.Kind.Gates() * options.Hidden;
        Input = nn.Linear(options.InputsPerStep, stacked);
        Recurrent = nn.Linear(options.Hidden, stacked);
        Readout = nn.Linear(options.Hidden, options.Outputs);
        RegisterComponents();
    }

    /// <summary>
    /// Draws the initial weights from <paramref name="generator"/>: the input and read-out Linears as <paramref name="init"/>
    /// says (b_ih from N(0, σ_b²)); W_hh gate by gate, each an H×H block, as <paramref name="recurrent"/> says, and b_hh zero
    /// (so the bias variance is σ_b², as mean field counts it). The LSTM's forget-gate bias is <paramref name="forgetBias"/>.
    /// </summary>
    public void Initialize(Initialization init, double? sigmaW2, double biasSigma2, RecurrentInitialization recurrent,
        double forgetBias, Generator generator)
    {
        using var _ = no_grad();
        Initializer.Apply(Input, init, sigmaW2, biasSigma2, generator);
        for (int gate = 0; gate < Options.Kind.Gates(); gate++)
        {
            using var block = Recurrent.weight!.narrow(0, gate * Options.Hidden, Options.Hidden);
            switch (recurrent)
            {
                case RecurrentInitialization.Orthogonal: Initializer.ApplyWeight(block, Initialization.Orthogonal, 1.0, generator); break;
                case RecurrentInitialization.Identity:
                    using (var identity = eye(Options.Hidden, dtype: block.dtype)) block.copy_(identity);
                    break;
                default: Initializer.ApplyWeight(block, init, sigmaW2, generator); break;
            }
        }
        double bound = 1 / Math.Sqrt(Options.Hidden);
        if (init == Initialization.TorchDefault) Recurrent.bias!.uniform_(-bound, bound, generator); // the Linear default's own bias
        else Recurrent.bias!.zero_();
        if (Options.Kind == ModelKind.Lstm)
        {
            using var forget = Input.bias!.narrow(0, Options.Hidden, Options.Hidden);
            using var value = forgetBias.ToScalar();
            forget.fill_(value);
        }
        Initializer.Apply(Readout, init, sigmaW2, biasSigma2, generator);
    }

    /// <summary>The weights (input, recurrent, read-out), then their biases.</summary>
    protected override IEnumerable<Parameter> FlatOrder() =>
        [Input.weight!, Recurrent.weight!, Readout.weight!, Input.bias!, Recurrent.bias!, Readout.bias!];

    /// <summary>The layers whose weights the tracker reports, in its order: input, recurrent, read-out.</summary>
    public IReadOnlyList<Linear> Layers => [Input, Recurrent, Readout];

    public override Tensor forward(Tensor images)
    {
        BeginForward();
        gates.Clear();
        long batch = images.shape[0];
        using var sequence = Options.ToSequence(images);
        // Every step's W_ih x_t + b_ih in one product, then one tensor per step: unbind's backward stacks the steps' gradients
        // once, where select's would fill a zero tensor of the whole sequence for every step (3× slower in all).
        var projected = Input.forward(sequence).unbind(1);
        var h = zeros([batch, Options.Hidden], dtype: images.dtype);
        var c = Options.Kind == ModelKind.Lstm ? zeros([batch, Options.Hidden], dtype: images.dtype) : null;
        for (int t = 0; t < Options.Steps; t++)
        {
            var fromInput = projected[t];
            var fromState = Recurrent.forward(h);
            h = Options.Kind switch
            {
                ModelKind.Rnn => activation.Apply(fromInput.add(fromState, Scalars.One)),
                ModelKind.Lstm => LstmStep(fromInput.add(fromState, Scalars.One), ref c!),
                ModelKind.Gru => GruStep(fromInput, fromState, h),
                _ => throw new InvalidOperationException($"{Options.Kind} is not recurrent"),
            };
            Keep(h);
        }
        return Readout.forward(h);
    }

    Tensor LstmStep(Tensor preGates, ref Tensor c)
    {
        var parts = preGates.chunk(4, 1);
        var (i, f, g, o) = (parts[0].sigmoid(), parts[1].sigmoid(), parts[2].tanh(), parts[3].sigmoid());
        if (KeepActivations) gates.Add(f);
        c = f.mul(c).add(i.mul(g), Scalars.One);
        return o.mul(c.tanh());
    }

    Tensor GruStep(Tensor fromInput, Tensor fromState, Tensor previous)
    {
        var x = fromInput.chunk(3, 1);
        var s = fromState.chunk(3, 1);
        var r = x[0].add(s[0], Scalars.One).sigmoid();
        var z = x[1].add(s[1], Scalars.One).sigmoid();
        var n = x[2].add(r.mul(s[2]), Scalars.One).tanh();
        if (KeepActivations) gates.Add(z);
        return n.add(z.mul(previous.sub(n)), Scalars.One);
    }
}
