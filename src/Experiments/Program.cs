using Experiments.Training;
using Experiments.Models;
var sw = System.Diagnostics.Stopwatch.StartNew();
foreach (var act in new[] { Activation.Sigmoid, Activation.Relu })
foreach (var depth in new[] { 5, 20 })
{
    sw.Restart();
    var rec = Trainer.Run(new ExperimentSpec { Depth = depth, Activation = act, Epochs = 3, BatchSize = int.Parse(args.Length > 0 ? args[0] : "64") });
    Console.WriteLine($"{rec.Spec.Label}: {sw.Elapsed.TotalSeconds / 3.2:F2}s/epoch");
    foreach (var e in rec.Epochs)
        Console.WriteLine($"  e{e.Epoch} loss {e.TrainLoss:F3} acc {e.TestAccuracy:F3} dW1/dWL {Math.Log10(e.Layers[0].Mean("weight_grad_norm") / e.Layers[depth - 1].Mean("weight_grad_norm")):F2} d1/dL {Math.Log10(e.Layers[0].Mean("delta_norm") / e.Layers[depth - 1].Mean("delta_norm")):F2}");
}
