using Experiments.Models;
using Experiments.Records;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// What a hostile user might pass on the command line, and the start of the one line they should read.
/// Arguments are split on spaces; <c>''</c> stands for an empty argument.
/// </summary>
public static class BadInputCases
{
    /// <summary>A small, fast job: a case wrongly accepted trains for seconds, not minutes.</summary>
    static readonly string[] Small = ["--samples", "1000", "--epochs", "1", "--depth", "5", "--activation", "relu"];

    /// <summary>A case's arguments after those of <see cref="Small"/> that it does not set itself (and without the MLP's
    /// depth and activation when the case asks for recurrent nets only, which would refuse them).</summary>
    public static string[] OnSmallJob(string[] args)
    {
        int model = Array.IndexOf(args, "--model");
        bool recurrentOnly = model >= 0 && !args.Skip(model + 1).TakeWhile(a => !a.StartsWith("--")).Contains("mlp");
        return [.. Small.Chunk(2).Where(pair => !args.Contains(pair[0]) && !(recurrentOnly && pair[0] is "--depth" or "--activation"))
            .SelectMany(pair => pair), .. args];
    }

    /// <summary>Cases for the training job, each run as <see cref="OnSmallJob"/>.</summary>
    public static IEnumerable<TestCaseData> Training()
    {
        // Numbers: digit grouping, non-finite values, whole numbers (one parser for every numeric option)
        yield return Case("--lr 0,001", "--lr 0,001: expected a number such as 0.5 or 1e-3");
        yield return Case("--sigma-w2 1,5 --init normal", "--sigma-w2 1,5: expected a number such as 0.5 or 1e-3");
        yield return Case("--clip 1,5", "--clip 1,5: expected a number such as 0.5 or 1e-3");
        yield return Case("--lr 1,000.5", "--lr 1,000.5: expected a number such as 0.5 or 1e-3");
        yield return Case("--momentum 0,5 --optimizer sgd", "--momentum 0,5: expected a number such as 0.5 or 1e-3");
        yield return Case("--sigma-b2 0,1", "--sigma-b2 0,1: expected a number such as 0.5 or 1e-3");
        yield return Case("--width 1,000", "--width 1,000: expected a whole number such as 64");
        yield return Case("--seed 1,000", "--seed 1,000: expected a whole number such as 64");
        yield return Case("--lr 0x10", "--lr 0x10: expected a number such as 0.5 or 1e-3");
        yield return Case("--lr ''", "--lr : expected a number such as 0.5 or 1e-3");
        yield return Case("--depth abc", "--depth abc: expected a whole number such as 64");
        yield return Case("--depth 1.5", "--depth 1.5: expected a whole number such as 64");
        yield return Case("--epochs 1e3", "--epochs 1e3: expected a whole number such as 64");
        yield return Case("--width 2147483648", "--width 2147483648: expected a whole number between -2147483648 and 2147483647");
        yield return Case("--lr NaN", "--lr NaN: expected a finite number");
        yield return Case("--lr Infinity", "--lr Infinity: expected a finite number");
        yield return Case("--lr 1e400", "--lr 1e400: expected a finite number");
        yield return Case("--lr 1e-400", "--lr 1e-400: too close to 0 for a double");
        yield return Case("--sigma-w2 Infinity --init normal", "--sigma-w2 Infinity: expected a finite number");
        yield return Case("--sigma-w2 NaN --init normal", "--sigma-w2 NaN: expected a finite number");
        yield return Case("--sigma-b2 Infinity", "--sigma-b2 Infinity: expected a finite number");
        yield return Case("--sigma-b2 NaN", "--sigma-b2 NaN: expected a finite number");
        yield return Case("--clip Infinity", "--clip Infinity: expected a finite number");

        // Values libtorch cannot hold in float32, or memory the machine does not have: refused before training
        yield return Case("--clip 1e300", "--clip 1E+300: expected a positive gradient norm of at most 3.4028235E+38");
        yield return Case("--lr 1e300", "--lr 1E+300: expected a positive number of at most 3.4028235E+37");
        yield return Case("--sigma-w2 1e300 --init normal", "--sigma-w2 1E+300: expected a positive weight variance of at most 3.4028235E+38");
        yield return Case("--sigma-b2 1e300", "--sigma-b2 1E+300: expected a non-negative bias variance of at most 3.4028235E+38");
        yield return Case("--width 100000", "--width 100000 --depth 5: needs about");
        yield return Case("--width 2147483647", "--width 2147483647 --depth 5: needs about");
        yield return Case("--depth 1000000", "--width 128 --depth 1000000: needs about");
        yield return Case("--model gru --width 100000", "--model gru --width 100000: needs about");

        // Values that would do nothing: refused rather than recorded
        yield return Case("--sigma-w2 100", "--sigma-w2 100: applies to --init normal or orthogonal, not glorot-uniform");
        yield return Case("--sigma-w2 4 --init he-normal", "--sigma-w2 4: applies to --init normal or orthogonal, not he-normal");
        yield return Case("--momentum 0.5", "--momentum 0.5: applies to --optimizer sgd, not adam");
        yield return Case("--model lstm --depth 5", "--depth 5: applies to --model mlp, not lstm (one recurrent layer, unrolled over the time steps)");
        yield return Case("--model lstm gru --activation sigmoid", "--activation sigmoid: applies to --model mlp or rnn, not lstm");
        yield return Case("--recurrent-init identity", "--recurrent-init identity: applies to a recurrent --model (rnn, lstm, gru), not mlp");
        yield return Case("--model mlp rnn --forget-bias 2", "--forget-bias 2: applies to --model lstm, not mlp");
        yield return Case("--model rnn --norm batch", "--norm batch: applies to --model mlp, not rnn");
        yield return Case("--model cnn", "--model cnn: expected one of mlp, rnn, lstm, gru");
        yield return Case("--momentum 0.9", "--momentum 0.9: applies to --optimizer sgd, not adam");
        yield return Case("--sigma-b2 0.1 --init torch-default", "--sigma-b2 0.1: does not apply to --init torch-default");
        yield return Case("--sigma-b2 0 --init torch-default", "--sigma-b2 0: does not apply to --init torch-default"); // not zero biases
        yield return Case("--test-fraction 0.5 --data mnist", "--test-fraction 0.5: applies to the embedded sample only, not mnist");
        yield return Case("--test-fraction 1", "--test-fraction 1: expected a fraction between 0 and 1");
        yield return Case("--init-batches 0", "--init-batches 0: expected at least 1");
        yield return Case("--residual --depth 1", "--residual: expected --depth 2 or more");

        // Repeated list values
        yield return Case("--activation relu --activation relu", "--activation relu relu: expected each value once (relu is repeated)");
        yield return Case("--activation relu RELU", "--activation relu relu: expected each value once (relu is repeated)");
        yield return Case("--batch 64 64", "--batch 64 64: expected each value once (64 is repeated)");
        yield return Case("--depth 5 05", "--depth 5 5: expected each value once (5 is repeated)");

        // Degenerate setups
        yield return Case("--samples 20 --batch 8", "--samples 20: leaves no test images");
        yield return Case("--out ''", "--out : expected a folder path");

        // Already refused before this matrix grew: kept so they stay refused
        yield return Case("--data /nonexistent/mnist", "/nonexistent/mnist: folder not found");
        yield return Case("--activation sine", "--activation sine: expected one of " + // every activation a descriptor defines
            string.Join(", ", ActivationFunction.All.Select(a => RecordJson.Name(a.Kind))));
        yield return Case("--init xavier", "--init xavier: expected one of glorot-uniform,");
        yield return Case("--precision float16", "--precision float16: expected one of float32, float64");
        yield return Case("--norm group", "--norm group: expected one of none, batch, layer");
        yield return Case("--optimizer rmsprop", "--optimizer rmsprop: expected one of adam, sgd");
        yield return Case("--depth 0", "--depth 0: expected a whole number of hidden layers, at least 1");
        yield return Case("--width -3", "--width -3: expected a whole number, at least 1");
        yield return Case("--batch 0", "--batch 0: expected a whole number, at least 1");
        yield return Case("--batch 2000", "--batch 2000: expected at most the 799 training images");
        yield return Case("--epochs 0", "--epochs 0: expected at least 1 training epoch");
        yield return Case("--lr 0", "--lr 0: expected a positive number");
        yield return Case("--lr -0.1", "--lr -0.1: expected a positive number");
        yield return Case("--momentum 1 --optimizer sgd", "--momentum 1: expected a number in [0, 1)");
        yield return Case("--sigma-w2 0 --init normal", "--sigma-w2 0: expected a positive weight variance");
        yield return Case("--sigma-b2 -1", "--sigma-b2 -1: expected a non-negative bias variance");
        yield return Case("--clip 0", "--clip 0: expected a positive gradient norm");
        yield return Case("--init normal", "--sigma-w2 (none): expected a value with --init normal");
        yield return Case("--samples 20000", "--samples 20000: expected at most the 10000 images");
        yield return Case("--samples 19", "--samples 19: expected at least 20 images");
        yield return Case("--threads 0", "--threads 0: expected a whole number from 1 to 256");
        yield return Case("--parallel 0", "--parallel 0: expected at least 1");
    }

    /// <summary>Cases for the other commands, run exactly as given.</summary>
    public static IEnumerable<TestCaseData> Commands()
    {
        yield return Case("theory --sigma-w2 1,5", "--sigma-w2 1,5: expected a number such as 0.5 or 1e-3");
        yield return Case("theory --sigma-w2 Infinity", "--sigma-w2 Infinity: expected a finite number");
        yield return Case("theory --sigma-w2 NaN", "--sigma-w2 NaN: expected a finite number");
        yield return Case("theory --sigma-b2 Infinity", "--sigma-b2 Infinity: expected a finite number");
        yield return Case("theory --sigma-b2 0,1", "--sigma-b2 0,1: expected a number such as 0.5 or 1e-3");
        yield return Case("theory --sigma-w2 0", "--sigma-w2 0: expected positive variances");
        yield return Case("theory --depth 1", "--depth 1: expected at least 2 hidden layers");
        yield return Case("theory --depth 2147483647", "--depth 2147483647: expected at most 100000 hidden layers");
        yield return Case("theory --activation tanh --sigma-w2 1e5", "--sigma-w2 1E+05: at q* = 9.993E+04, tanh's φ′ is too narrow for the quadrature");
        yield return Case("theory --activation sigmoid --sigma-w2 1e300", "--sigma-w2 1E+300: at q* = 5E+299, sigmoid's φ′ is too narrow for the quadrature");
        yield return Case("theory --activation tanh tanh", "--activation tanh tanh: expected each value once (tanh is repeated)");
        yield return Case("theory --sigma-w2 1 1", "--sigma-w2 1 1: expected each value once (1 is repeated)");
        yield return Case("bench --lr 0,001", "--lr 0,001: expected a number such as 0.5 or 1e-3");
        yield return Case("bench --clip 1e300 --samples 1000 --depth 5 --activation relu --batch 64 --epochs 1",
            "--clip 1E+300: expected a positive gradient norm of at most 3.4028235E+38");
        yield return Case("bench --width 100000 --depth 5 --activation relu --batch 64 --epochs 1", "--width 100000 --depth 5: needs about");
        yield return Case("bench --batch 64 64 --depth 5 --activation relu --epochs 1", "--batch 64 64: expected each value once");
        yield return Case("bench --sigma-w2 100 --depth 5 --activation relu --batch 64 --epochs 1",
            "--sigma-w2 100: applies to --init normal or orthogonal, not glorot-uniform");
    }

    /// <summary>Cases for `phase`, each run on a one-run grid (see <see cref="OnSmallPhase"/>) with its own output folder.</summary>
    public static IEnumerable<TestCaseData> Phase()
    {
        yield return Case("--sigma-b2 0", "--sigma-b2 0: expected a positive bias variance");
        yield return Case("--seed 1 2 --max-seeds 1", "--max-seeds 1: expected at least the number of --seed values (2)");
        yield return Case("--sigma-w2 -1", "--sigma-w2 -1: expected a positive weight variance");
        yield return Case("--sigma-w2 1 1", "--sigma-w2 1 1: expected each value once (1 is repeated)");
        yield return Case("--sigma-w2 1e5", "--sigma-w2 100000: too large for the quadrature");
        yield return Case("--depth 0", "--depth 0: expected a whole number of hidden layers, at least 1");
        yield return Case("--seed 1 1", "--seed 1 1: expected each value once (1 is repeated)");
        yield return Case("--epochs 0", "--epochs 0: expected at least 1 training epoch");
        yield return Case("--lr 0,01", "--lr 0,01: expected a number such as 0.5 or 1e-3");
        yield return Case("--precision float16", "--precision float16: expected one of float32, float64");
        yield return Case("--width 32 --width 64", "--width 32 64: expected one value");
        yield return Case("--parallel 0", "--parallel 0: expected at least 1");
    }

    static readonly string[] SmallPhase = ["--sigma-w2", "1", "--depth", "2", "--seed", "1", "--max-seeds", "1", "--samples", "100", "--epochs", "1"];

    /// <summary>`phase`, then a case's arguments after those of a one-run grid that it does not set itself.</summary>
    public static string[] OnSmallPhase(string[] args) =>
        ["phase", .. SmallPhase.Chunk(2).Where(pair => !args.Contains(pair[0])).SelectMany(pair => pair), .. args];

    static TestCaseData Case(string arguments, string expected)
    {
        string[] args = arguments.Split(' ').Select(a => a == "''" ? "" : a).ToArray();
        return new TestCaseData(args, expected).SetArgDisplayNames(arguments);
    }
}
