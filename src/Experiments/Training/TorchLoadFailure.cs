using System.Runtime.InteropServices;

namespace Experiments.Training;

/// <summary>
/// Why TorchSharp could not load its native library, in one line. Its own exception says only that the type
/// initializer of <c>TorchSharp.torch</c> threw, and the trace inside names the library without the loader's reason;
/// loading the library again here gets that reason from the loader itself (for example a missing GLIBCXX version).
/// </summary>
public static class TorchLoadFailure
{
    static readonly string LibraryFile =
        OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    /// <summary>The one-line reason when <paramref name="failure"/> is TorchSharp failing to load; null for any other failure.</summary>
    public static string? Describe(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
            if (e is TypeInitializationException { TypeName: "TorchSharp.torch" })
                return $"TorchSharp could not load its native library: {LoaderReason()}";
        return null;
    }

    static string LoaderReason()
    {
        var folders = ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory).Distinct().ToList();
        string? library = folders.Select(f => Path.Combine(f, LibraryFile)).FirstOrDefault(File.Exists);
        if (library is null) return $"{LibraryFile} is in none of {string.Join(", ", folders)}";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
            return $"{library} loads now, so it was probably being replaced (by a build?) when this process loaded it";
        }
        catch (DllNotFoundException e)
        {
            // The first line is .NET's advice; the loader's own messages (dlerror) follow, one a line.
            var reasons = e.Message.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0);
            return string.Join("; ", reasons.DefaultIfEmpty(e.Message.Trim()));
        }
        catch (BadImageFormatException e)
        {
            return $"{library}: {e.Message.Trim()}";
        }
    }
}
