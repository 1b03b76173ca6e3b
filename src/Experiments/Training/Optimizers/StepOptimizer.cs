using Experiments.Records;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Training.Optimizers;

/// <summary>
/// An optimizer whose step creates no temporary <see cref="Scalar"/>. TorchSharp 0.107 frees a temporary Scalar
/// (an implicit double → Scalar conversion, a default alpha) in its finalizer; a garbage collection started by any
/// other thread can run that finalizer while the native call still reads the value, and libtorch then fails or
/// reads freed memory. Every Scalar here is held for the optimizer's lifetime or disposed right after its call.
/// </summary>
public abstract class StepOptimizer : IDisposable
{
    protected readonly IReadOnlyList<Parameter> Parameters;

    protected StepOptimizer(IEnumerable<Parameter> parameters) => Parameters = parameters.ToList();

    /// <summary>Zeroes every gradient in place (backward then accumulates into them).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters) parameter.grad?.zero_();
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        StepCore();
    }

    protected abstract void StepCore();

    public abstract void Dispose();
}
