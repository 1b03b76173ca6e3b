using System.Runtime.InteropServices;
using Experiments.Data;
using FluentAssertions;
using Hypotheses.Support;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// Data folders whose files pass the header checks but cannot be used, run through the command line: each gives one
/// line naming the file and what was expected, exit 2, before training. And what a run on a data folder reports.
/// </summary>
[TestFixture, Category("Reliability")]
public class DataFolderCliTests
{
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    static extern int MakeFifo(string path, uint mode);

    TempFolder temp = null!;
    string data = "", output = "";

    [SetUp]
    public void CreateFolders()
    {
        temp = new TempFolder("cli-data-");
        data = Directory.CreateDirectory(Path.Combine(temp.Path, "data")).FullName;
        output = Directory.CreateDirectory(Path.Combine(temp.Path, "out")).FullName;
    }

    [TearDown] public void DeleteFolders() => temp.Dispose();

    static readonly Digits Sample = DataSource.LoadSample();

    void WriteFolder(int train = 600, int test = 200, Digits? trainDigits = null, Digits? testDigits = null)
    {
        IdxFiles.Write(data, "train", trainDigits ?? Sample.Select(Enumerable.Range(0, train).ToArray()), gzipped: false);
        IdxFiles.Write(data, "t10k", testDigits ?? Sample.Select(Enumerable.Range(train, test).ToArray()), gzipped: false);
    }

    (int ExitCode, string Out, string Error) Train(params string[] extra) =>
        CliProcess.Run(TimeSpan.FromSeconds(60), ["--data", data, "--epochs", "1", "--depth", "2", "--activation", "relu", .. extra, "--out", output]);

    void ShouldBeRefused((int ExitCode, string Out, string Error) result, string expected)
    {
        CliReliabilityTests.ShouldBeOneErrorLine(result.ExitCode, result.Out, result.Error, expected);
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty("nothing may be written for bad input");
    }

    [Test(Description = "A FIFO given as a data file is refused at once, not read forever")]
    public void A_fifo_instead_of_a_file_is_refused()
    {
        WriteFolder();
        string images = Path.Combine(data, "train-images-idx3-ubyte");
        File.Delete(images);
        MakeFifo(images, Convert.ToUInt32("644", 8)).Should().Be(0, "mkfifo must succeed");
        ShouldBeRefused(Train(), $"{images}: not a regular file");
    }

    [Test(Description = "A training label outside 0-9 is refused before training, naming the file and the label")]
    public void A_label_outside_the_ten_classes_is_refused()
    {
        var train = Sample.Select(Enumerable.Range(0, 600).ToArray());
        var labels = (byte[])train.Labels.Clone();
        labels[5] = 12;
        WriteFolder(trainDigits: train with { Labels = labels });
        ShouldBeRefused(Train(), $"{Path.Combine(data, "train-labels-idx1-ubyte")}: label 12 at index 5, expected 0 to 9");
    }

    [Test]
    public void A_test_label_outside_the_ten_classes_is_refused()
    {
        var test = Sample.Select(Enumerable.Range(600, 200).ToArray());
        var labels = (byte[])test.Labels.Clone();
        labels[7] = 255;
        WriteFolder(testDigits: test with { Labels = labels });
        ShouldBeRefused(Train(), $"{Path.Combine(data, "t10k-labels-idx1-ubyte")}: label 255 at index 7, expected 0 to 9");
    }

    [Test(Description = "Test images of another size than the training images are refused before training")]
    public void Test_images_of_another_size_are_refused()
    {
        var test = Sample.Select(Enumerable.Range(600, 200).ToArray());
        WriteFolder(testDigits: test with { Rows = 14, Columns = 56 });
        ShouldBeRefused(Train(), "t10k images are 14×56 but the training images are 28×28; expected one size");
    }

    [Test(Description = "bench on a data folder of fewer than 500 training images: no warm-up of its own size to fail")]
    public void Bench_runs_on_a_small_data_folder()
    {
        WriteFolder(train: 300, test: 100);
        var (exitCode, stdout, error) = CliProcess.Run(TimeSpan.FromSeconds(90),
            "bench", "--data", data, "--depth", "2", "--activation", "relu", "--batch", "64", "--epochs", "1");
        exitCode.Should().Be(0, error);
        error.Should().BeEmpty();
        stdout.Should().Contain("relu-d2");
    }

    [Test(Description = "The report names the data folder and its official test files; it claims no MNIST")]
    public void The_report_tells_which_data_and_which_split()
    {
        WriteFolder(train: 600, test: 200);
        var (exitCode, _, error) = Train("--batch", "32", "64");
        exitCode.Should().Be(0, error);

        string runs = Path.Combine(output, "runs");
        string report = File.ReadAllText(Path.Combine(runs, File.ReadAllText(Path.Combine(runs, "latest.txt")).Trim(), "report.md"));
        report.Should().Contain(data).And.Contain("official test files (200 images)").And.Contain("600 training images");
        report.Should().NotContain("MNIST", "these files are not identified as MNIST").And.NotContain("test fraction");
        report.Should().Contain("| batch size | 32, 64 |", "the conditions list every batch size of the grid");
    }
}
