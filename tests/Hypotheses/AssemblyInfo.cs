using NUnit.Framework;

// Fixtures run two at a time: each training run uses one libtorch thread, so two keep both cores busy while
// the seeds of a sample are trained in parallel too. Runs shared by several tests are trained once (RunCache).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
