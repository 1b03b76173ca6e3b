#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Compiled by MSBuild's RoslynCodeTaskFactory against netstandard2.0: no spans, no File.Move overwrite.
// Sets VER_FLG_WEAK on one version requirement (.gnu.version_r) of an ELF64 little-endian library,
// writing a new file, and only when the system libstdc++ does not define that version itself.
public class MarkGlibcxxVersionWeak : Task
{
    [Required] public string Library { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 2;

    static readonly string[] LibstdcxxPaths =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        string? system = Array.Find(LibstdcxxPaths, File.Exists);
        if (system != null && Contains(File.ReadAllBytes(system), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, $"{system} defines {Version}; {Library} left as it is.");
            return true;
        }
        byte[] elf = File.ReadAllBytes(Library);
        int changed = MarkWeak(elf);
        if (changed < 0) return true; // already weak
        if (changed == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{Library} does not require {Version}.");
            return true;
        }
        string temporary = Library + ".patching";
        File.WriteAllBytes(temporary, elf);
        File.Delete(Library); // unlinks the hard link; the NuGet cache keeps its own file
        File.Move(temporary, Library);
        Log.LogMessage(MessageImportance.High, $"Marked {Version} weak in {Library} (system libstdc++ lacks it).");
        return true;
    }

    // Returns how many entries it marked, or -1 when every matching entry was weak already.
    int MarkWeak(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{Library}: not an ELF64 little-endian file");
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        int marked = 0, alreadyWeak = 0;
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)(sectionTable + s * entrySize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToInt64(elf, header + 0x18));
            int strings = StringTableOffset(elf, sectionTable, entrySize, BitConverter.ToInt32(elf, header + 0x28));
            int count = BitConverter.ToInt32(elf, header + 0x2C);
            for (int n = 0, need = offset; n < count; n++)
            {
                int aux = need + BitConverter.ToInt32(elf, need + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    if (ReadString(elf, strings + BitConverter.ToInt32(elf, aux + 8)) == Version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) alreadyWeak++;
                        else { elf[aux + 4] = (byte)(flags | VerFlagWeak); marked++; } // little-endian low byte
                    }
                    aux += BitConverter.ToInt32(elf, aux + 12);
                }
                need += BitConverter.ToInt32(elf, need + 12);
            }
        }
        return marked == 0 && alreadyWeak > 0 ? -1 : marked;
    }

    static int StringTableOffset(byte[] elf, long sectionTable, int entrySize, int index) =>
        checked((int)BitConverter.ToInt64(elf, (int)(sectionTable + index * entrySize) + 0x18));

    static string ReadString(byte[] elf, int start)
    {
        int end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length;
             i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            int k = 1;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }
}
