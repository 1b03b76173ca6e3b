namespace Experiments.Data;

/// <summary>One of a data set's four gzipped IDX files, as published: its name, length in bytes and SHA-256.</summary>
public sealed record PublishedFile(string Name, long Bytes, string Sha256);

/// <summary>A data set that <c>--data NAME</c> downloads: its title and credit, its files and the base URLs they are published under.</summary>
public sealed record Dataset(string Name, string Title, string Credit, IReadOnlyList<string> Mirrors, IReadOnlyList<PublishedFile> Files)
{
    /// <summary>The <c>$EXPERIMENTS_DATA_CHECKSUMS</c> file whose lines replaced the published table; null for the published one.</summary>
    public string? ChecksumsFile { get; init; }
}

/// <summary>
/// The data sets known by name, and where they are kept: downloaded once into a cache folder
/// (<c>$EXPERIMENTS_DATA_CACHE</c>, else the user's cache folder), one sub-folder per data set, checked against the
/// SHA-256 table below. <c>$EXPERIMENTS_DATA_MIRRORS</c> (base URLs separated by spaces, under each of which a data
/// set's files are at <c>NAME/FILE</c>) replaces the published mirrors.
/// </summary>
public static class Datasets
{
    public const string CacheVariable = "EXPERIMENTS_DATA_CACHE";
    public const string MirrorsVariable = "EXPERIMENTS_DATA_MIRRORS";
    /// <summary>A file of lines <c>NAME FILE BYTES SHA256</c> that replaces the table's entries for the names it lists: for a
    /// mirror that serves other builds of the files, and for tests that serve their own.</summary>
    public const string ChecksumsVariable = "EXPERIMENTS_DATA_CHECKSUMS";

    public const string MnistCredit = "MNIST: Yann LeCun, Corinna Cortes and Christopher J. C. Burges (CC BY-SA 3.0).";
    public const string FashionMnistCredit = "Fashion-MNIST: Han Xiao, Kashif Rasul and Roland Vollgraf, Zalando Research (MIT licence).";
    const string KmnistCredit = "KMNIST: Tarin Clanuwat et al., ROIS-DS Center for Open Data in the Humanities (CC BY-SA 4.0).";

    // Lengths and SHA-256 of the original .gz files, as TensorFlow Datasets lists them (its url_checksums files for
    // mnist, fashion_mnist and kmnist); the MD5s that DataDescription checks are torchvision's for the same files.
    static readonly Dataset[] Known =
    [
        new("mnist", "MNIST", MnistCredit, ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        [
            new("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ]),
        new("fashion-mnist", "Fashion-MNIST", FashionMnistCredit, ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        [
            new("train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            new("train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            new("t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            new("t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ]),
        new("kmnist", "KMNIST (Kuzushiji-MNIST)", KmnistCredit, ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"],
        [
            new("train-images-idx3-ubyte.gz", 18_165_135, "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"),
            new("train-labels-idx1-ubyte.gz", 29_497, "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"),
            new("t10k-images-idx3-ubyte.gz", 3_041_136, "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"),
            new("t10k-labels-idx1-ubyte.gz", 5_120, "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"),
        ]),
    ];

    public static IEnumerable<string> Names => Known.Select(d => d.Name);

    /// <summary>The data set called <paramref name="name"/>, with the mirrors of <c>$EXPERIMENTS_DATA_MIRRORS</c> if set; null if none is.</summary>
    public static Dataset? Find(string name)
    {
        var dataset = Known.FirstOrDefault(d => d.Name == name);
        if (dataset is null) return null;
        string? mirrors = Environment.GetEnvironmentVariable(MirrorsVariable);
        if (!string.IsNullOrWhiteSpace(mirrors))
            dataset = dataset with { Mirrors = mirrors.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => $"{m.TrimEnd('/')}/{name}/").ToList() };
        if (Environment.GetEnvironmentVariable(ChecksumsVariable) is { Length: > 0 } table && ReadChecksums(table, name) is { Count: > 0 } files)
            dataset = dataset with { Files = files, ChecksumsFile = table };
        return dataset;
    }

    static List<PublishedFile> ReadChecksums(string path, string name)
    {
        var files = new List<PublishedFile>();
        foreach (string line in File.ReadLines(path).Where(l => l.Trim().Length > 0 && !l.StartsWith('#')))
        {
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4 || !long.TryParse(fields[2], out long bytes) || fields[3].Length != 64)
                throw new BadInputException($"{ChecksumsVariable}={path}: \"{line}\"; expected lines NAME FILE BYTES SHA256");
            if (fields[0] == name) files.Add(new PublishedFile(fields[1], bytes, fields[3].ToLowerInvariant()));
        }
        return files;
    }

    /// <summary>The cache folder of every data set: <c>$EXPERIMENTS_DATA_CACHE</c>, else <c>$XDG_CACHE_HOME/experiments/datasets</c>,
    /// else <c>~/.cache/experiments/datasets</c> (on Windows, the local application data folder).</summary>
    public static string CacheRoot()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } set) return set;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string cache = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "experiments", "datasets");
    }
}
