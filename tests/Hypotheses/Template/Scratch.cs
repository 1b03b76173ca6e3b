using Experiments.Diagnostics;
using Experiments.Models;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Template;

/// <summary>
/// A scratch pad: see a measure over the seeds before writing an assertion. Explicit, so only a filter that names it runs
/// it: dotnet test tests/Hypotheses --filter "Name=Scratch" --logger "console;verbosity=detailed"
/// </summary>
[TestFixture, Explicit("a scratch pad, run by name")]
public class ScratchPad
{
    [Test]
    public void Scratch() =>
        Measured.Of(Conditions.Classic(Activation.Relu, depth: 20).AtInitialisation(), Measure.LogSpread(Metric.DeltaNorm, epoch: 0)).Print();
}
