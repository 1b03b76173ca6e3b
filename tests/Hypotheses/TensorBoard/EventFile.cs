using Tensorboard;

namespace Hypotheses.TensorBoard;

/// <summary>
/// Reads a TensorBoard event file as TensorBoard does, independently of the writer: TFRecord framing (a little-endian
/// uint64 length, its masked CRC-32C, the data, the data's masked CRC-32C) around protobuf <see cref="Event"/>s.
/// A bad length or CRC, or a file that ends inside a record, throws.
/// </summary>
public static class EventFile
{
    public static IReadOnlyList<Event> Read(string path)
    {
        var events = new List<Event>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            byte[] header = ReadExactly(reader, 8, path);
            Check(MaskedCrc(header), reader.ReadUInt32(), "length", path);
            byte[] data = ReadExactly(reader, checked((int)BitConverter.ToUInt64(header)), path);
            Check(MaskedCrc(data), reader.ReadUInt32(), "data", path);
            events.Add(Event.Parser.ParseFrom(data));
        }
        return events;
    }

    /// <summary>Every event of every event file under <paramref name="folder"/> (not its sub-folders), in file order.</summary>
    public static IReadOnlyList<Event> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "events.out.tfevents.*").Order().SelectMany(Read).ToList();

    static byte[] ReadExactly(BinaryReader reader, int count, string path)
    {
        byte[] bytes = reader.ReadBytes(count);
        if (bytes.Length != count) throw new InvalidDataException($"{path}: ends inside a record");
        return bytes;
    }

    static void Check(uint expected, uint actual, string what, string path)
    {
        if (expected != actual) throw new InvalidDataException($"{path}: {what} CRC is {actual:x8}, expected {expected:x8}");
    }

    /// <summary>TFRecord's masked CRC: the CRC-32C rotated right by 15 bits plus a constant (TensorFlow's crc32c.h).</summary>
    public static uint MaskedCrc(byte[] data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: slow, and plainly the definition.</summary>
    public static uint Crc32C(byte[] data)
    {
        uint crc = 0xffffffffu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
        }
        return ~crc;
    }
}
