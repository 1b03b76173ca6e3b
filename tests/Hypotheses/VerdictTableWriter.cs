using Hypotheses.Vocabulary;
using NUnit.Framework;

/// <summary>Writes the verdict table once every test of the assembly has run (outside any namespace, so it covers all).</summary>
[SetUpFixture]
public sealed class VerdictTableWriter
{
    [OneTimeTearDown]
    public void WriteVerdicts() => Verdicts.Write();
}
