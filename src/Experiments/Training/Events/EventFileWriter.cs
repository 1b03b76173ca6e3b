using System.Buffers.Binary;
using Google.Protobuf;
using Tensorboard;

namespace Experiments.Training.Events;

/// <summary>
/// Writes one TensorBoard event file: TFRecord framing (the data's length as a little-endian uint64 and its masked
/// CRC-32C, the data, the data's masked CRC-32C) around protobuf <see cref="Event"/>s (TorchSharp's generated classes),
/// opened once and buffered; <see cref="Flush"/> hands what is buffered to the file system. Wall times are Unix seconds
/// with sub-second resolution, as TensorBoard reads them. The first event names the file version, as TensorFlow's do.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    const int BufferBytes = 1 << 16;
    readonly FileStream file;

    public string Path { get; }

    public EventFileWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        // TensorBoard reads every file whose name contains "tfevents"; the process id keeps two writers of one second apart.
        Path = System.IO.Path.Combine(folder,
            $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Random.Shared.Next(1 << 20):x5}");
        file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferBytes);
        Write(new Event { WallTime = Now(), FileVersion = "brain.Event:2" });
    }

    public void Scalar(string tag, float value, long step) =>
        Write(new Event { WallTime = Now(), Step = step, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, SimpleValue = value } } } });

    public void Histogram(string tag, HistogramProto histogram, long step) =>
        Write(new Event { WallTime = Now(), Step = step, Summary = new Summary { Value = { new Summary.Types.Value { Tag = tag, Histo = histogram } } } });

    public void Flush() => file.Flush();

    public void Dispose() => file.Dispose();

    static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    void Write(Event e)
    {
        byte[] data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        file.Write(header);
        file.Write(data);
        file.Write(footer);
    }
}
