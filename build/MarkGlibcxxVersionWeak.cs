#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Compiled by MSBuild's RoslynCodeTaskFactory against netstandard2.0: no spans, no File.Move overwrite.
// Writes Destination as Source with VER_FLG_WEAK set on one version requirement (.gnu.version_r) of an ELF64
// little-endian library. A destination that already holds those bytes is not touched (a process may be loading it);
// a new or changed one is written under a temporary name in its folder and renamed over it, so it is never missing,
// partial or unmarked.
public class MarkGlibcxxVersionWeak : Task
{
    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";
    [Required] public string Version { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 2;

    public override bool Execute()
    {
        byte[] elf = File.ReadAllBytes(Source);
        int marked = MarkWeak(elf);
        if (File.Exists(Destination) && SameBytes(File.ReadAllBytes(Destination), elf))
        {
            Log.LogMessage(MessageImportance.Low, $"{Destination} is up to date; left as it is.");
            return true;
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(Destination))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(Destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(elf, 0, elf.Length);
                stream.Flush(true);
            }
            // rename(2) on Unix: a process opening Destination gets the old file or the new one, never none.
            if (File.Exists(Destination)) File.Replace(temporary, Destination, null);
            else File.Move(temporary, Destination);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        Log.LogMessage(MessageImportance.High, marked > 0
            ? $"Wrote {Destination} with {Version} marked weak."
            : $"Wrote {Destination} ({Version} not required or already weak).");
        return true;
    }

    // Returns how many entries it marked (0 when the library does not require the version or has it weak already).
    int MarkWeak(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{Source}: not an ELF64 little-endian file");
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        int marked = 0;
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
                        if ((flags & VerFlagWeak) == 0) { elf[aux + 4] = (byte)(flags | VerFlagWeak); marked++; } // little-endian low byte
                    }
                    aux += BitConverter.ToInt32(elf, aux + 12);
                }
                need += BitConverter.ToInt32(elf, need + 12);
            }
        }
        return marked;
    }

    static int StringTableOffset(byte[] elf, long sectionTable, int entrySize, int index) =>
        checked((int)BitConverter.ToInt64(elf, (int)(sectionTable + index * entrySize) + 0x18));

    static string ReadString(byte[] elf, int start)
    {
        int end = Array.IndexOf(elf, (byte)0, start);
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }
}
