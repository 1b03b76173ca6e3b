using FluentAssertions;
using Hypotheses.Vocabulary;
using NUnit.Framework;

namespace Hypotheses.Template;

/// <summary>The README's hypothesis template is this folder's MyHypotheses.cs, word for word, so it compiles and runs.</summary>
[TestFixture, Category("Foundation")]
public class TemplateTests
{
    [Test(Description = "The README shows MyHypotheses.cs as it is")]
    public void Readme_template_is_the_compiled_file()
    {
        string root = Artifacts.Root ?? throw new InconclusiveException("not run from a checkout: no README to compare");
        string file = File.ReadAllText(Path.Combine(root, "tests", "Hypotheses", "Template", "MyHypotheses.cs")).ReplaceLineEndings("\n");
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        readme.Should().Contain("```csharp\n" + file + "```", "the README's template must be MyHypotheses.cs as it compiles");
    }
}
