using Experiments.Models;
using FluentAssertions;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Hypotheses.Reliability;

/// <summary>
/// The deterministic half of the Scalar-lifetime guard (<see cref="ScalarLifetimeTests"/> is the stress half, which can
/// only fail by chance): the compiled training path makes no temporary Scalar, neither itself (an implicit double →
/// Scalar conversion, ToScalar) nor through a TorchSharp method that makes one for it (an overload that fills in
/// alpha = 1). A Scalar stored in a variable as it is made is held by its maker (a `using`, or <see cref="Scalars"/>).
/// </summary>
[TestFixture, Category("Reliability")]
public class ScalarCreationTests
{
    static readonly string[] TrainingPath = ["Experiments.Models", "Experiments.Training", "Experiments.Diagnostics"];

    [Test(Description = "No method on the training path makes a Scalar that a finalizer would free mid-call")]
    public void The_training_path_makes_no_temporary_scalar()
    {
        using var experiments = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Experiments.dll"));
        var offences = new List<string>();
        var callers = experiments.GetTypes()
            .Where(t => TrainingPath.Any(n => (t.DeclaringType?.Namespace ?? t.Namespace) == n || (t.DeclaringType?.Namespace ?? t.Namespace).StartsWith(n + ".")))
            .ToList();
        foreach (var method in callers.SelectMany(t => t.Methods).Where(m => m.HasBody))
            foreach (var call in method.Body.Instructions.Where(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference))
            {
                var callee = (MethodReference)call.Operand;
                if (callee.DeclaringType.Scope.Name is not ("TorchSharp" or "TorchSharp.dll")) continue;
                if (MakesScalar(callee) && !IsHeld(call)) offences.Add($"{method.FullName} calls {callee.FullName}");
                else if (callee.Resolve() is { HasBody: true } body && body.Body.Instructions.Any(i => i.Operand is MethodReference inner && MakesScalar(inner)))
                    offences.Add($"{method.FullName} calls {callee.FullName}, which makes a Scalar");
            }
        callers.Should().NotBeEmpty("the scan must find the training path's types");
        offences.Should().BeEmpty("a temporary Scalar is freed by its finalizer, which another thread's collection can run mid-call");
    }

    [Test(Description = "The scan sees a temporary Scalar where there is one")]
    public void The_scan_finds_an_implicit_conversion() =>
        MakesScalar(ModuleDefinition.ReadModule(typeof(ScalarCreationTests).Assembly.Location).GetType(typeof(ScalarCreationTests).FullName)
            .Methods.Single(m => m.Name == nameof(MakesATemporary)).Body.Instructions
            .Select(i => i.Operand).OfType<MethodReference>().Single(m => m.DeclaringType.Scope.Name.StartsWith("TorchSharp")))
            .Should().BeTrue();

    static TorchSharp.Scalar MakesATemporary(double value) => value; // the implicit conversion the training path must not make

    /// <summary>A Scalar stored straight into a local or a field is held (and disposed) by its maker, not left to a finalizer mid-call.</summary>
    static bool IsHeld(Instruction made) =>
        made.Next?.OpCode.Code is Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 or Code.Stfld or Code.Stsfld;

    static bool MakesScalar(MethodReference method) =>
        method.DeclaringType.FullName is "TorchSharp.Scalar" or "TorchSharp.ScalarExtensionMethods" &&
        method.Name is "op_Implicit" or "ToScalar";
}
