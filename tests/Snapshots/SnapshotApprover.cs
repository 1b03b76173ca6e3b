using ApprovalTests.Core;

namespace Snapshots;

/// <summary>
/// ApprovalTests' approver for one snapshot file, with the comparison its kind needs (figures within a pixel
/// tolerance, text regardless of line endings). When the received snapshot differs, or none is approved yet, it is
/// written beside the approved file for review.
/// </summary>
public abstract class SnapshotApprover(IApprovalNamer namer, string extension) : IApprovalApprover
{
    // Read once: the namer's Name consumes the scenario (NamerFactory.AdditionalInformation) when read.
    readonly string basename = Path.Combine(namer.SourcePath, namer.Name);
    public string ApprovedPath => $"{basename}.approved.{extension}";
    public string ReceivedPath => $"{basename}.received.{extension}";
    string failure = "";

    /// <summary>How the received snapshot differs from the approved file, or null when it matches.</summary>
    protected abstract string? Difference(string approvedPath);

    protected abstract void WriteReceived(string path);

    public bool Approve()
    {
        if (File.Exists(ApprovedPath))
        {
            if (Difference(ApprovedPath) is not { } difference) return true;
            failure = difference;
        }
        else
        {
            failure = $"no approved snapshot {Path.GetFileName(ApprovedPath)} yet";
        }
        Directory.CreateDirectory(namer.SourcePath);
        WriteReceived(ReceivedPath);
        return false;
    }

    public void Fail() => throw new SnapshotMismatchException(
        $"{failure}\n  review {Path.GetFileName(ReceivedPath)}, then accept it with `dotnet cake --target=AcceptSnapshots`");

    public void ReportFailure(IApprovalFailureReporter reporter) => reporter.Report(ApprovedPath, ReceivedPath);

    public void CleanUpAfterSuccess(IApprovalFailureReporter reporter)
    {
        if (File.Exists(ReceivedPath)) File.Delete(ReceivedPath);
    }
}

public sealed class SnapshotMismatchException(string message) : Exception(message);
