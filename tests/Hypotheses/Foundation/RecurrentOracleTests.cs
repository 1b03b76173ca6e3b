using Experiments.Data;
using Experiments.Diagnostics;
using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>
/// The recurrent net and its tracker against independent oracles, in float64 on a tiny net (images of 4 × 6 pixels read
/// as 4 rows of 6, or pixel by pixel after 2×2 averaging as 6 steps of 1; 4 hidden units, 3 examples): libtorch's fused modules (<c>nn.RNN</c>, <c>nn.LSTM</c>, <c>nn.GRU</c>) compute the same
/// logits and gradients as the hand-unrolled cells; and each tracked ‖δ_t‖ = ‖∂L/∂h_t‖ equals central finite differences
/// taken by perturbing h_t inside a loop of libtorch's own cells (<c>nn.RNNCell</c>, <c>nn.LSTMCell</c>, <c>nn.GRUCell</c>),
/// which share no code with the model's forward.
/// </summary>
[TestFixture, Category("Foundation")]
public class RecurrentOracleTests
{
    const double Tolerance = 1e-6; // relative, as for the MLP's oracle: central differences in float64 reach ~1e-9 here
    const int Rows = 4, Columns = 6, Hidden = 4, Examples = 3;

    static IEnumerable<TestCaseData> Cells() =>
    [
        new TestCaseData(ModelKind.Rnn, Activation.Tanh, Sequence.Rows), new TestCaseData(ModelKind.Rnn, Activation.Relu, Sequence.Rows),
        new TestCaseData(ModelKind.Lstm, Activation.Tanh, Sequence.Rows), new TestCaseData(ModelKind.Gru, Activation.Tanh, Sequence.Rows),
        new TestCaseData(ModelKind.Lstm, Activation.Tanh, Sequence.Pixels),
    ];

    [TestCaseSource(nameof(Cells))]
    public void The_unrolled_cells_compute_what_libtorchs_fused_modules_compute(ModelKind kind, Activation activation, Sequence sequence)
    {
        using var generator = new Generator(5, CPU);
        using var model = Build(kind, activation, sequence, generator);
        using var torchModel = new TorchRecurrent(model);
        using var x = rand(Examples, Rows * Columns, float64, generator: generator);
        using var y = tensor(new long[] { 1, 7, 3 });
        using var scope = NewDisposeScope();

        var mine = model.forward(x);
        var theirs = torchModel.forward(x);
        (mine - theirs).abs().max().item<double>().Should().BeLessThan(1e-12, "the same weights should give the same logits");

        var myGradients = autograd.grad([nn.functional.cross_entropy(mine, y)], [model.Recurrent.weight!, model.Input.weight!]);
        var recurrent = torchModel.named_parameters().Single(p => p.name.EndsWith("weight_hh_l0")).parameter;
        var input = torchModel.named_parameters().Single(p => p.name.EndsWith("weight_ih_l0")).parameter;
        var theirGradients = autograd.grad([nn.functional.cross_entropy(theirs, y)], [recurrent, input]);
        for (int i = 0; i < 2; i++)
            (myGradients[i] - theirGradients[i]).abs().max().item<double>().Should().BeLessThan(1e-12, "back-propagation through time should agree");
    }

    [TestCaseSource(nameof(Cells))]
    public void Tracked_delta_through_time_equals_finite_differences(ModelKind kind, Activation activation, Sequence sequence)
    {
        using var generator = new Generator(7, CPU);
        using var model = Build(kind, activation, sequence, generator);
        int steps = model.Options.Steps;
        using var x = rand(Examples, Rows * Columns, float64, generator: generator);
        using var y = tensor(new long[] { 2, 0, 9 });
        var tracker = new RecurrentTracker(model);
        using var scope = NewDisposeScope();
        model.Backward(nn.functional.cross_entropy(model.forward(x), y));
        var measured = tracker.MeasureGradients();

        var oracle = new CellLoop(model);
        for (int t = 0; t < steps; t++)
        {
            double expected = Math.Sqrt(Enumerable.Range(0, Examples * Hidden).Sum(k =>
            {
                double plus = oracle.Loss(x, y, t, k, CentralDifferences.Epsilon), minus = oracle.Loss(x, y, t, k, -CentralDifferences.Epsilon);
                double derivative = (plus - minus) / (2 * CentralDifferences.Epsilon);
                return derivative * derivative;
            }));
            measured.Get(t, Metric.DeltaNorm).Should().BeApproximately(expected, Tolerance * expected,
                $"time step {t + 1}'s ‖∂L/∂h_t‖ should match central differences through libtorch's cells");
        }
        double recurrentGradient = Math.Sqrt(CentralDifferences.Of(model.Recurrent.weight!, () => oracle.Loss(x, y, 0, 0, 0)).Sum(d => d * d));
        measured.Get(steps + 1, Metric.WeightGradNorm).Should().BeApproximately(recurrentGradient, Tolerance * recurrentGradient,
            "‖∂L/∂W_hh‖ should match central differences");
        using var singular = linalg.svdvals(model.Recurrent.weight!.detach());
        measured.Get(steps + 1, Metric.SpectralNorm).Should().BeApproximately(singular[0].item<double>(), 1e-12);
    }

    static RecurrentNet Build(ModelKind kind, Activation activation, Sequence sequence, Generator generator)
    {
        var images = new Digits(new byte[Rows * Columns], [0], Rows, Columns, "shape only");
        var spec = ExperimentSpec.Recurrent(kind) with
        {
            Activation = activation, Width = Hidden, Sequence = sequence, Precision = Precision.Float64, BiasSigma2 = 0.05,
            RecurrentInit = RecurrentInitialization.AsInit, Init = Initialization.Normal, SigmaW2 = 1.5,
        };
        return (RecurrentNet)Trainer.BuildModel(spec, images, float64, generator);
    }

    /// <summary>The forward again, as a loop of libtorch's cells with the model's weights, adding ε to one element k of h_t.</summary>
    sealed class CellLoop(RecurrentNet model)
    {
        public double Loss(Tensor x, Tensor y, int step, int element, double epsilon)
        {
            using var _ = no_grad();
            using var cell = Cell();
            using var scope = NewDisposeScope();
            var sequence = model.Options.ToSequence(x);
            var h = zeros(Examples, Hidden, float64);
            var c = zeros(Examples, Hidden, float64);
            for (int t = 0; t < model.Options.Steps; t++)
            {
                var input = sequence.select(1, t);
                switch (cell)
                {
                    case RNNCell rnn: h = rnn.forward(input, h); break;
                    case GRUCell gru: h = gru.forward(input, h); break;
                    case LSTMCell lstm: (h, c) = lstm.call(input, (h, c)); break;
                }
                if (t == step)
                {
                    using var bump = zeros(Examples * Hidden, float64);
                    bump[element] = epsilon;
                    h = h + bump.view(Examples, Hidden);
                }
            }
            return nn.functional.cross_entropy(model.Readout.forward(h), y).item<double>();
        }

        int Inputs => model.Options.InputsPerStep;

        nn.Module Cell()
        {
            nn.Module cell = model.Options.Kind switch
            {
                ModelKind.Rnn => nn.RNNCell(Inputs, Hidden, model.Options.Activation == Activation.Relu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh, dtype: float64),
                ModelKind.Lstm => nn.LSTMCell(Inputs, Hidden, dtype: float64),
                _ => nn.GRUCell(Inputs, Hidden, dtype: float64),
            };
            var parameters = cell.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            parameters["weight_ih"].copy_(model.Input.weight!);
            parameters["bias_ih"].copy_(model.Input.bias!);
            parameters["weight_hh"].copy_(model.Recurrent.weight!);
            parameters["bias_hh"].copy_(model.Recurrent.bias!);
            return cell;
        }
    }
}
