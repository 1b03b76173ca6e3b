using ApprovalTests.Reporters;

// Differences are reviewed as files (received beside approved) and in pull requests, never in a diff tool
// launched by the tests: DiffReporter finds no tool on CI machines.
[assembly: UseReporter(typeof(QuietReporter))]
