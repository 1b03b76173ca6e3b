using System.Security.Cryptography;
using Experiments.Data;

namespace Experiments.Records;

/// <summary>
/// What a run's data is, as its record keeps it and a report states it: the data set (named only when identified), whom
/// to credit, and how it was split. A folder is identified by the published MD5 checksums of the four original .gz files,
/// and a data set given by name also by the published SHA-256 table (<see cref="Datasets"/>); files that match only a
/// table of <c>$EXPERIMENTS_DATA_CHECKSUMS</c> are said to, and any other folder of IDX files (unpacked, subsampled,
/// another data set) is described as files, not given a name.
/// </summary>
public sealed record DataDescription(string Name, string? Credit, string Split)
{
    const string MnistCredit = Datasets.MnistCredit;

    // The checksums the data sets publish (and torchvision checks), in the order train images, train labels, test images, test labels.
    static readonly (string Name, string Credit, string[] Md5)[] Published =
    [
        ("MNIST", MnistCredit,
            ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"]),
        ("Fashion-MNIST", Datasets.FashionMnistCredit,
            ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"]),
    ];

    static readonly string[] Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>The description of a spec's data, given the split the spec made of it.</summary>
    public static DataDescription Of(ExperimentSpec spec, DataSplit split)
    {
        var (data, samples, testFraction) = (spec.Data, spec.Samples, spec.TestFraction);
        string train = $"{split.Train.Count:N0} training images", test = $"{split.Test.Count:N0} images";
        if (!DataSource.HasOfficialTest(data))
            return new DataDescription("the embedded MNIST sample (10,000 digits)", MnistCredit,
                $"{train}; test: {test}, a stratified, seeded {testFraction:0.###} share of the {split.Train.Count + split.Test.Count:N0} drawn");
        string trainSplit = samples is null ? train : $"{train} (a stratified, seeded draw)";
        string splitText = $"{trainSplit}; test: the folder's official test files ({test})";
        string folder = Path.GetFullPath(DataSource.FolderOf(data));
        if (Identify(folder) is { } identified)
            return new DataDescription($"{identified.Name} (the IDX files in {folder})", identified.Credit, splitText);
        // A data set given by name is named only if its files are the published ones (checked here, as the cache may have
        // been filled by another run); files checked against $EXPERIMENTS_DATA_CHECKSUMS are only said to match that table.
        if (Datasets.Find(data) is { } named && named.Files.All(f => File.Exists(Path.Combine(folder, f.Name))
                                                                     && Download.Check(Path.Combine(folder, f.Name), f) is null))
            return named.ChecksumsFile is null
                ? new DataDescription($"{named.Title} (the IDX files in {folder})", named.Credit, splitText)
                : new DataDescription($"the IDX files in {folder} (checked against the SHA-256 listed for {named.Name} in " +
                                      $"{Datasets.ChecksumsVariable}={named.ChecksumsFile}, not the published {named.Title} files)", null, splitText);
        return new DataDescription($"the IDX files in {folder} (a data set not identified by its checksums)", null, splitText);
    }

    static (string Name, string Credit)? Identify(string folder)
    {
        var paths = Files.Select(f => Path.Combine(folder, f)).ToArray();
        if (!paths.All(File.Exists)) return null;
        var md5 = paths.Select(p => { using var stream = DataFile.OpenRead(p); return Convert.ToHexStringLower(MD5.HashData(stream)); }).ToArray();
        return Published.Where(d => d.Md5.SequenceEqual(md5)).Select(d => ((string, string)?)(d.Name, d.Credit)).FirstOrDefault();
    }
}
