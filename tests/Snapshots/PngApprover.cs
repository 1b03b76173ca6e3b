using ApprovalTests.Core;

namespace Snapshots;

/// <summary>Figures: compared with <see cref="ImageDifference"/> instead of byte for byte.</summary>
public sealed class PngApprover(byte[] png, IApprovalNamer namer) : SnapshotApprover(namer, Extension)
{
    public const string Extension = "png";

    protected override string? Difference(string approvedPath)
    {
        var difference = ImageDifference.Compare(File.ReadAllBytes(approvedPath), png);
        return difference.WithinTolerance ? null : $"figure differs from {Path.GetFileName(approvedPath)}: {difference.Description}";
    }

    protected override void WriteReceived(string path) => File.WriteAllBytes(path, png);
}
