using ApprovalTests.Core;

namespace Snapshots;

/// <summary>
/// ApprovalTests' approver for figures: compares with <see cref="ImageDifference"/> instead of byte for byte. Like the
/// text approver, it writes the received file beside the approved one when they differ (or none is approved yet).
/// </summary>
public sealed class PngApprover(byte[] png, IApprovalNamer namer) : IApprovalApprover
{
    // Read once: the namer's Name consumes the scenario (NamerFactory.AdditionalInformation) when read.
    readonly string Basename = Path.Combine(namer.SourcePath, namer.Name);
    public string ApprovedPath => Basename + ".approved.png";
    public string ReceivedPath => Basename + ".received.png";
    string failure = "";

    public bool Approve()
    {
        if (!File.Exists(ApprovedPath))
        {
            failure = $"no approved snapshot {Path.GetFileName(ApprovedPath)} yet";
        }
        else
        {
            var difference = ImageDifference.Compare(File.ReadAllBytes(ApprovedPath), png);
            if (difference.WithinTolerance) return true;
            failure = $"figure differs from {Path.GetFileName(ApprovedPath)}: {difference.Description}";
        }
        Directory.CreateDirectory(namer.SourcePath);
        File.WriteAllBytes(ReceivedPath, png);
        return false;
    }

    public void Fail() => throw new SnapshotMismatchException(
        $"{failure}; review {Path.GetFileName(ReceivedPath)}, then accept it with `dotnet cake --target=AcceptSnapshots`");

    public void ReportFailure(IApprovalFailureReporter reporter) => reporter.Report(ApprovedPath, ReceivedPath);

    public void CleanUpAfterSuccess(IApprovalFailureReporter reporter)
    {
        if (File.Exists(ReceivedPath)) File.Delete(ReceivedPath);
    }
}

public sealed class SnapshotMismatchException(string message) : Exception(message);
