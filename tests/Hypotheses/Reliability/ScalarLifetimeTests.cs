using Experiments.Models;
using Experiments.Records;
using Experiments.Training;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// TorchSharp 0.107 frees a temporary Scalar (an implicit double → Scalar conversion, a default alpha) in its
/// finalizer, which a garbage collection started by another thread can run while the native call still reads it.
/// Training must create no such temporary: this trains while another thread allocates as fast as it can. It can pass by
/// luck where a temporary exists, so <see cref="ScalarCreationTests"/> checks the same rule on the compiled code.
/// </summary>
[TestFixture, NonParallelizable]
public class ScalarLifetimeTests
{
    // 25 steps an epoch. With TorchSharp's Adam and implicit Scalars in the tracker, the Adam case failed within about
    // 100 steps ("toFloat at Scalar.h:140"); 750 steps give that failure seven chances. The SGD case covers the other
    // paths: leaky ReLU and residual sums (which pass held Scalars), momentum and clipping.
    [TestCase(Activation.Relu, OptimizerKind.Adam, false, 30)]
    [TestCase(Activation.LeakyRelu, OptimizerKind.Sgd, true, 10)]
    public void Training_survives_collections_started_by_another_thread(Activation activation, OptimizerKind optimizer, bool residual, int epochs)
    {
        var spec = new ExperimentSpec
        {
            Activation = activation, Depth = 20, Samples = 2000, Epochs = epochs, BatchSize = 64, Optimizer = optimizer,
            Residual = residual, ClipNorm = residual ? 1.0 : null, LearningRate = optimizer == OptimizerKind.Sgd ? 0.01 : 1e-3,
        };
        using var stop = new CancellationTokenSource();
        var allocator = new Thread(() =>
        {
            // About a thousand collections a second: each may finalize a temporary Scalar that a native call still reads.
            while (!stop.IsCancellationRequested) { GC.Collect(0); Thread.Sleep(1); }
        }) { IsBackground = true };
        allocator.Start();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var record = Trainer.Run(spec);
            TestContext.Out.WriteLine($"{record.Epochs.Sum(e => e.Steps)} steps in {clock.Elapsed.TotalSeconds:0.0} s beside a thread that collects");
            record.Complete.Should().BeTrue();
            record.Epochs.Sum(e => e.Steps).Should().Be(4 + epochs * 25, "4 measurement batches, then 25 steps in each epoch");
        }
        finally { stop.Cancel(); allocator.Join(); }
    }
}
