using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

/// <summary>The gradients the flat buffers hand out: those <see cref="Mlp.Backward"/> gave them while its step lasts, and
/// each parameter's own <c>grad</c> otherwise, never an earlier step's.</summary>
[TestFixture, Category("Foundation")]
public class FlatParametersTests
{
    [Test]
    public void Gradients_handed_out_are_the_parameters_own_and_never_an_earlier_steps()
    {
        // Norm and skip parameters in the flat layout, and δ kept: Backward's list then starts with the δ.
        var spec = new ExperimentSpec { Depth = 3, Width = 5, Precision = Precision.Float64, Normalization = Normalization.Layer, Residual = true };
        using var generator = new Generator(3, CPU);
        using var model = Trainer.BuildMlp(spec, 4, float64, generator);
        model.KeepActivations = true;
        var flat = model.Flat!;
        using var x = randn(6, 4, float64, generator: generator);
        using var y = tensor(new long[] { 0, 1, 2, 3, 4, 5 });

        var fromBackward = new List<Tensor>();
        using (NewDisposeScope())
        {
            model.Backward(nn.functional.cross_entropy(model.forward(x), y));
            for (int s = 0; s < flat.Segments.Count; s++)
            {
                using var own = flat.Segments[s].Parameter.grad!;
                Same(flat.GradientOf(s), own, $"segment {s} within the step");
                // Each grad read makes a new handle: the same object twice means the gradient was held, not read.
                flat.GradientOf(s).Should().BeSameAs(flat.GradientOf(s), "within a step the gradient is held");
                fromBackward.Add(own.detach().clone().DetachFromDisposeScope());
            }
            model.Deltas.Should().HaveCount(model.PreActivations.Count);
            for (int l = 0; l < model.Deltas.Count; l++) Same(model.Deltas[l], model.PreActivations[l].grad!, $"layer {l + 1}'s δ");
        }
        // The step's scope has disposed the tensors Backward handed over: the parameters' own grad still holds them.
        for (int s = 0; s < flat.Segments.Count; s++) Same(flat.GradientOf(s), fromBackward[s], $"segment {s} after the step's scope");

        using (NewDisposeScope())
        {
            flat.ClearGradients();
            nn.functional.cross_entropy(model.forward(x * 2), y).backward(); // not Mlp.Backward: nothing held
            for (int s = 0; s < flat.Segments.Count; s++)
            {
                using var own = flat.Segments[s].Parameter.grad!;
                Same(flat.GradientOf(s), own, $"segment {s} after a plain backward");
            }
            // The second backward's input differs: its gradients must too, or this test could not tell them apart.
            Equal(flat.GradientOf(0), fromBackward[0]).Should().BeFalse();
        }
        using (NewDisposeScope())
        {
            // Within one scope, a forward starts a new step: what Backward held before it must not be handed out after,
            // whatever then sets the gradients (here: set by hand, as other training code may).
            model.Backward(nn.functional.cross_entropy(model.forward(x), y));
            model.forward(x);
            for (int s = 0; s < flat.Segments.Count; s++)
            {
                var parameter = flat.Segments[s].Parameter;
                parameter.grad = full_like(parameter, s + 1.0);
                Same(flat.GradientOf(s), parameter.grad!, $"segment {s}: set after a new forward in the same scope");
            }
        }
        using (NewDisposeScope())
        {
            model.Backward(nn.functional.cross_entropy(model.forward(x), y));
            flat.ClearGradients();
            flat.Invoking(f => f.GradientOf(0)).Should().Throw<InvalidOperationException>("cleared gradients are gone, held ones too");
        }
        foreach (var gradient in fromBackward) gradient.Dispose();
    }

    static void Same(Tensor actual, Tensor expected, string what) =>
        Equal(actual, expected).Should().BeTrue($"{what}: the gradient handed out should be the parameter's own");

    static bool Equal(Tensor a, Tensor b)
    {
        using var all = a.eq(b).all();
        return all.item<bool>();
    }
}
