namespace Experiments.Models;

/// <summary>Normalisation after each hidden Linear, before the activation.</summary>
public enum Normalization { None, Batch, Layer }
