using System.Diagnostics;
using Experiments.Records;
using Experiments.Training;
using Experiments.Workers;
using FluentAssertions;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>Progress within an epoch: workers report steps, a few times a second at most.</summary>
[TestFixture, Category("Reliability")]
public class ProgressTests
{
    [Test(Description = "Step lines read back as they were written")]
    public void A_step_line_round_trips() =>
        WorkerProtocol.Parse(WorkerProtocol.StepLine(3, 17, 125)).Should().Be(new StepDone(3, 17, 125));

    [Test(Description = "A worker reports steps within epochs, in order, throttled to one line per interval")]
    public void A_worker_reports_steps_within_epochs_without_flooding()
    {
        // 250 steps an epoch (4,000 training images, batch 16) of a 20-layer net: about a second or more per epoch on the 2-core
        // machines here, so several lines fall inside each epoch whatever the load.
        var spec = new ExperimentSpec { Depth = 20, Samples = 5000, BatchSize = 16, Epochs = 2 };
        var steps = new List<StepDone>();
        using var pool = new WorkerPool(1);
        var clock = Stopwatch.StartNew();
        var outcome = pool.Train(spec, message => { if (message is StepDone step) steps.Add(step); });
        clock.Stop();

        outcome.Failed.Should().BeFalse(outcome.FailureReason);
        steps.Should().NotBeEmpty().And.OnlyContain(s => s.Done >= 1 && s.Done <= s.Batches && s.Epoch <= spec.Epochs);
        steps.Should().Contain(s => s.Epoch >= 1 && s.Done < s.Batches, "progress moves inside a training epoch");
        steps.Select(s => (s.Epoch, s.Done)).Should().BeInAscendingOrder();
        steps.Count.Should().BeLessThanOrEqualTo((int)(clock.ElapsedMilliseconds / WorkerProtocol.StepLineInterval) + 1,
            "at most one line per interval");
    }
}
