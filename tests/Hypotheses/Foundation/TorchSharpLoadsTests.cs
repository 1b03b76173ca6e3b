using FluentAssertions;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Hypotheses.Foundation;

[TestFixture, Category("Foundation")]
public class TorchSharpLoadsTests
{
    [Test(Description = "libtorch loads (after the GLIBCXX compatibility step on Debian 12) and autograd runs")]
    public void A_tensor_is_made_and_a_backward_pass_runs()
    {
        using var x = tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        // d(Σx²)/dx = 2x
        x.grad!.data<double>().ToArray().Should().Equal(2.0, 4.0, 6.0);
    }
}
