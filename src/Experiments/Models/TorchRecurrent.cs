using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// The same network as a <see cref="RecurrentNet"/>, built from TorchSharp's own fused modules (<c>nn.RNN</c>,
/// <c>nn.LSTM</c>, <c>nn.GRU</c>) and a Linear read-out, starting from the weights of a given <see cref="RecurrentNet"/>:
/// what a TorchSharp user writes, for the bench to time tracked training against, and for a test to check that the
/// hand-unrolled cells compute what libtorch's do.
/// </summary>
public sealed class TorchRecurrent : nn.Module<Tensor, Tensor>
{
    readonly RecurrentOptions options;
    readonly nn.Module cell;
    readonly Linear readout;

    public TorchRecurrent(RecurrentNet source) : base("TorchRecurrent")
    {
        options = source.Options;
        var dtype = source.Input.weight!.dtype;
        long inputs = options.InputsPerStep, hidden = options.Hidden;
        cell = options.Kind switch
        {
            ModelKind.Rnn => nn.RNN(inputs, hidden, 1, Nonlinearity(options.Activation), true, true, dtype: dtype),
            ModelKind.Lstm => nn.LSTM(inputs, hidden, 1, true, true, dtype: dtype),
            ModelKind.Gru => nn.GRU(inputs, hidden, 1, true, true, dtype: dtype),
            _ => throw new ArgumentOutOfRangeException(nameof(source), options.Kind, "not a recurrent model"),
        };
        readout = nn.Linear(hidden, options.Outputs, dtype: dtype);
        RegisterComponents();
        using var _ = no_grad();
        var mine = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        mine["weight_ih_l0"].copy_(source.Input.weight!);
        mine["bias_ih_l0"].copy_(source.Input.bias!);
        mine["weight_hh_l0"].copy_(source.Recurrent.weight!);
        mine["bias_hh_l0"].copy_(source.Recurrent.bias!);
        readout.weight!.copy_(source.Readout.weight!);
        readout.bias!.copy_(source.Readout.bias!);
    }

    /// <summary>libtorch's RNN has tanh and ReLU only.</summary>
    public static bool Supports(Activation activation) => activation is Activation.Tanh or Activation.Relu;

    static nn.NonLinearities Nonlinearity(Activation activation) => activation switch
    {
        Activation.Tanh => nn.NonLinearities.Tanh,
        Activation.Relu => nn.NonLinearities.ReLU,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "libtorch's RNN has tanh and relu only"),
    };

    public override Tensor forward(Tensor images)
    {
        using var sequence = options.ToSequence(images);
        var output = cell switch
        {
            RNN rnn => rnn.call(sequence, null).Item1,
            LSTM lstm => lstm.call(sequence, null).Item1,
            GRU gru => gru.call(sequence, null).Item1,
            _ => throw new InvalidOperationException("no recurrent module"),
        };
        return readout.forward(output.select(1, options.Steps - 1));
    }
}
