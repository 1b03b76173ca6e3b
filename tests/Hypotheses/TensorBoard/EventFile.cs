namespace Hypotheses.TensorBoard;

/// <summary>
/// Reads a TensorBoard event file as TensorBoard does, independently of the writer: TFRecord framing (a little-endian
/// uint64 length, its masked CRC-32C, the data, the data's masked CRC-32C) around protobuf <see cref="Event"/>s, decoded
/// here from the wire format (TensorFlow's event.proto, summary.proto) for the fields the harness writes.
/// A bad length or CRC, a file that ends inside a record, or a malformed message throws.
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
            events.Add(Event.Parse(data));
        }
        return events;
    }

    /// <summary>Every event of every event file under <paramref name="folder"/> (not its sub-folders), in file order.</summary>
    public static IReadOnlyList<Event> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "*tfevents*").Order().SelectMany(Read).ToList();

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

/// <summary>event.proto's Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5.</summary>
public sealed record Event(double WallTime, long Step, string? FileVersion, Summary? Summary)
{
    public static Event Parse(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? version = null;
        Summary? summary = null;
        foreach (var field in Wire.Fields(data))
            switch (field.Number)
            {
                case 1: wallTime = field.Double; break;
                case 2: step = (long)field.Varint; break;
                case 3: version = field.Text; break;
                case 5: summary = Summary.Parse(field.Bytes); break;
            }
        return new Event(wallTime, step, version, summary);
    }
}

/// <summary>summary.proto's Summary: value = 1 (repeated Value).</summary>
public sealed record Summary(IReadOnlyList<SummaryValue> Value)
{
    public static Summary Parse(byte[] data) => new(Wire.Fields(data).Where(f => f.Number == 1).Select(f => SummaryValue.Parse(f.Bytes)).ToList());
}

/// <summary>Summary.Value: tag = 1 (string), simple_value = 2 (float), histo = 5 (HistogramProto).</summary>
public sealed record SummaryValue(string Tag, float SimpleValue, Histogram? Histo)
{
    public static SummaryValue Parse(byte[] data)
    {
        string tag = "";
        float simple = 0;
        Histogram? histo = null;
        foreach (var field in Wire.Fields(data))
            switch (field.Number)
            {
                case 1: tag = field.Text; break;
                case 2: simple = field.Single; break;
                case 5: histo = Histogram.Parse(field.Bytes); break;
            }
        return new SummaryValue(tag, simple, histo);
    }
}

/// <summary>HistogramProto: min = 1, max = 2, num = 3, sum = 4, sum_squares = 5 (doubles); bucket_limit = 6, bucket = 7 (packed doubles).</summary>
public sealed record Histogram(double Min, double Max, double Num, double Sum, double SumSquares, IReadOnlyList<double> BucketLimit, IReadOnlyList<double> Bucket)
{
    public static Histogram Parse(byte[] data)
    {
        var d = new double[5];
        List<double> limits = [], buckets = [];
        foreach (var field in Wire.Fields(data))
            if (field.Number is >= 1 and <= 5) d[field.Number - 1] = field.Double;
            else if (field.Number == 6) limits.AddRange(field.PackedDoubles);
            else if (field.Number == 7) buckets.AddRange(field.PackedDoubles);
        return new Histogram(d[0], d[1], d[2], d[3], d[4], limits, buckets);
    }
}

/// <summary>The protobuf wire format: each field a varint key (number &lt;&lt; 3 | type), then a varint (0), 8 bytes (1),
/// a length-prefixed run of bytes (2) or 4 bytes (5).</summary>
static class Wire
{
    public sealed record Field(int Number, ulong Varint, byte[] Bytes)
    {
        public double Double => BitConverter.ToDouble(Bytes);
        public float Single => BitConverter.ToSingle(Bytes);
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes);
        public IEnumerable<double> PackedDoubles => Bytes.Chunk(8).Select(b => BitConverter.ToDouble(b));
    }

    public static IEnumerable<Field> Fields(byte[] data)
    {
        int at = 0;
        while (at < data.Length)
        {
            ulong key = Varint(data, ref at);
            int number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0: yield return new Field(number, Varint(data, ref at), []); break;
                case 1: yield return new Field(number, 0, Take(data, ref at, 8)); break;
                case 2: yield return new Field(number, 0, Take(data, ref at, checked((int)Varint(data, ref at)))); break;
                case 5: yield return new Field(number, 0, Take(data, ref at, 4)); break;
                default: throw new InvalidDataException($"protobuf wire type {key & 7} at byte {at}");
            }
        }
    }

    static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (at >= data.Length || shift > 63) throw new InvalidDataException("a varint runs past its message");
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    static byte[] Take(byte[] data, ref int at, int count)
    {
        if (at + count > data.Length) throw new InvalidDataException("a field runs past its message");
        byte[] bytes = data[at..(at + count)];
        at += count;
        return bytes;
    }
}
