namespace Experiments.Training.Events;

/// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven, and TFRecord's masked form of it.</summary>
public static class Crc32C
{
    static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint crc = (uint)n;
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
        return crc;
    }).ToArray();

    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffffu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>TFRecord masks its CRCs (rotated right by 15 bits, plus a constant) so that a CRC of data holding CRCs stays strong.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Of(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
