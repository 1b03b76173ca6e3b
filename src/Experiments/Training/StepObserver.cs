using Experiments.Diagnostics;
using Experiments.Models;

namespace Experiments.Training;

/// <summary>One training step as an observer sees it: after the backward pass and its measurement, before the update.</summary>
/// <param name="Step">Updates taken before this step, over the whole run (epoch 0 takes none).</param>
/// <param name="Model">The model, its weights those that produced this step's gradients.</param>
/// <param name="Accuracy">The share of the batch classified correctly.</param>
/// <param name="Batch">This batch's index in its epoch, from 0, of <paramref name="Batches"/>.</param>
public sealed record StepView(int Epoch, long Step, double Loss, TrackedModel Model, StepMeasurement Gradients,
    double Accuracy = double.NaN, int Batch = 0, int Batches = 0);

/// <summary>Sees every step of a run (the tracker's statistics, a TensorBoard writer, a test's own bound). Both calls are
/// made inside the batch's dispose scope: copy what must outlive it.</summary>
public interface IStepObserver
{
    /// <summary>After backward and the gradient metrics; the update has not been applied.</summary>
    void AfterBackward(StepView step) { }

    /// <summary>After the update and its metrics (not called in epoch 0, which takes no step).</summary>
    void AfterUpdate(StepView step, StepMeasurement updates) { }
}
