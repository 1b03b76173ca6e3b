namespace Experiments.Data;

/// <summary>A train and a test set, ready for an experiment.</summary>
public sealed record DataSplit(Digits Train, Digits Test);

/// <summary>
/// Where the digits come from: <c>sample</c>, the 10,000 real MNIST digits embedded in this assembly, a data set's
/// name (<c>mnist</c>, <c>fashion-mnist</c>, <c>kmnist</c>: downloaded once, see <see cref="Datasets"/>), or a folder
/// holding the standard IDX files of MNIST or Fashion-MNIST (train-images-idx3-ubyte[.gz], ...).
/// </summary>
public static class DataSource
{
    public const string Sample = "sample";
    const string ResourcePrefix = "mnist-sample/";

    static readonly Dictionary<string, Lazy<(Digits Pool, Digits? OfficialTest)>> Loaded = new();

    /// <summary>
    /// The embedded sample is split (stratified, seeded) into train and test; a folder's official test files
    /// are its test set, and <paramref name="samples"/> (at most the <see cref="Pool"/>'s count) limits only the training
    /// pool. Few samples can leave no test image: the caller decides what that means.
    /// </summary>
    public static DataSplit Load(string data, int? samples, double? testFraction, int seed)
    {
        var (pool, officialTest) = LoadPool(data);
        if (samples is { } n && n > pool.Count)
            throw new ArgumentOutOfRangeException(nameof(samples), n, $"more than the {pool.Count} images of {pool.Source}");
        var chosen = Choose(pool, samples, seed);
        if (officialTest != null) return new DataSplit(chosen, officialTest);
        double fraction = testFraction ?? throw new ArgumentException($"{data} has no official test files: a test fraction is needed", nameof(testFraction));
        var (train, test) = Stratified.Split(chosen.Labels, fraction, seed);
        return new DataSplit(chosen.Select(train), chosen.Select(test));
    }

    /// <summary>The images samples are drawn from: the sample's 10,000, or a folder's training files.</summary>
    public static Digits Pool(string data) => LoadPool(data).Pool;

    /// <summary>The folder of IDX files that <paramref name="data"/> names: a data set's cache folder (downloaded if need be), or the folder given.</summary>
    public static string FolderOf(string data) =>
        Datasets.Find(data) is { } dataset ? Download.Ensure(dataset, Datasets.CacheRoot()) : data;

    /// <summary>Whether the data comes with official test files (a folder), or is split by a test fraction (the sample).</summary>
    public static bool HasOfficialTest(string data) => data != Sample;

    static Digits Choose(Digits pool, int? samples, int seed) => samples is { } count && count < pool.Count
        ? pool.Select(Stratified.Subset(pool.Labels, count, seed))
        : pool;

    /// <summary>The fewest samples above <paramref name="samples"/> whose split keeps a test image.</summary>
    public static int SmallestWithTestImages(string data, int samples, double fraction, int seed)
    {
        var pool = Pool(data);
        for (int n = samples + 1; n < pool.Count; n++)
            if (Stratified.Split(Choose(pool, n, seed).Labels, fraction, seed).Test.Length > 0) return n;
        return pool.Count;
    }

    public static Digits LoadSample()
    {
        var assembly = typeof(DataSource).Assembly;
        using var images = assembly.GetManifestResourceStream(ResourcePrefix + "sample-images-idx3-ubyte.gz")!;
        using var labels = assembly.GetManifestResourceStream(ResourcePrefix + "sample-labels-idx1-ubyte.gz")!;
        using var imagesGz = new System.IO.Compression.GZipStream(images, System.IO.Compression.CompressionMode.Decompress);
        using var labelsGz = new System.IO.Compression.GZipStream(labels, System.IO.Compression.CompressionMode.Decompress);
        return Digits.Checked(IdxReader.ReadImages(imagesGz, "embedded sample images"),
            IdxReader.ReadLabels(labelsGz, "embedded sample labels"),
            "embedded MNIST sample (10,000 digits)", "embedded sample images", "embedded sample labels");
    }

    static (Digits Pool, Digits? OfficialTest) LoadPool(string data)
    {
        Lazy<(Digits, Digits?)> lazy;
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(data, out lazy!))
                Loaded[data] = lazy = new Lazy<(Digits, Digits?)>(() => data == Sample ? (LoadSample(), null) : LoadFolder(FolderOf(data)));
        }
        try { return lazy.Value; }
        catch { lock (Loaded) Loaded.Remove(data); throw; } // a failed load is not cached
    }

    static (Digits Train, Digits Test) LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"{folder}: folder not found (expected \"sample\", {string.Join(", ", Datasets.Names)} or a folder of IDX files)");
        var (train, test) = (FromFolder(folder, "train"), FromFolder(folder, "t10k"));
        if ((train.Rows, train.Columns) != (test.Rows, test.Columns)) // the model's input size comes from the training images
            throw new IdxFormatException($"{folder}: t10k images are {test.Rows}×{test.Columns} but the training images are " +
                                         $"{train.Rows}×{train.Columns}; expected one size");
        return (train, test);
    }

    static Digits FromFolder(string folder, string prefix) => Digits.FromIdx(
        FindFile(folder, $"{prefix}-images-idx3-ubyte"), FindFile(folder, $"{prefix}-labels-idx1-ubyte"),
        $"{Path.GetFullPath(folder)} ({prefix})");

    static string FindFile(string folder, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{folder}: {name} (or {name}.gz) not found");
    }
}
