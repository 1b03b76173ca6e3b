using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Models;

/// <summary>
/// Scalars the training path passes to libtorch, created once and never freed. A Scalar made on the fly (an
/// implicit double → Scalar conversion, or a TorchSharp default argument such as alpha = 1) is freed by its
/// finalizer, which a collection started on another thread can run in the middle of the native call that reads it.
/// </summary>
public static class Scalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar PixelScale = 255.0.ToScalar();
    /// <summary>The leaky ReLU's negative slope.</summary>
    public static readonly Scalar LeakySlope = ActivationFunction.LeakySlope.ToScalar();
}
