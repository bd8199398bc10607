using System.Buffers.Binary;
using System.Text;

namespace Escala.Onnx.Protobuf;

/// <summary>
/// A protocol buffers writer into a growing buffer. Nested messages are written in place behind a
/// one-byte length placeholder that is widened afterwards if the message is longer than 127 bytes.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    public void Int64(int field, long value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint((ulong)value);
    }

    public void Int64IfSet(int field, long value)
    {
        if (value != 0)
        {
            Int64(field, value);
        }
    }

    public void Float(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void String(int field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        StringAlways(field, value);
    }

    public void StringAlways(int field, string value)
    {
        WriteTag(field, WireType.LengthDelimited);
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void PackedInt64(int field, List<long> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var start = BeginLength(field);
        foreach (var v in values)
        {
            WriteVarint((ulong)v);
        }

        EndLength(start);
    }

    public void PackedUInt64(int field, List<ulong> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var start = BeginLength(field);
        foreach (var v in values)
        {
            WriteVarint(v);
        }

        EndLength(start);
    }

    public void PackedInt32(int field, List<int> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var start = BeginLength(field);
        foreach (var v in values)
        {
            WriteVarint((ulong)(long)v);
        }

        EndLength(start);
    }

    public void PackedFloat(int field, List<float> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)values.Count * 4);
        Ensure(values.Count * 4);
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), v);
            _length += 4;
        }
    }

    public void PackedDouble(int field, List<double> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)values.Count * 8);
        Ensure(values.Count * 8);
        foreach (var v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), v);
            _length += 8;
        }
    }

    /// <summary>Starts a length-delimited field; returns the position of the content.</summary>
    public int BeginLength(int field)
    {
        WriteTag(field, WireType.LengthDelimited);
        Ensure(1);
        _buffer[_length++] = 0;
        return _length;
    }

    /// <summary>Ends a length-delimited field begun at <paramref name="contentStart"/>, widening its length prefix if needed.</summary>
    public void EndLength(int contentStart)
    {
        var length = _length - contentStart;
        var prefix = VarintSize((ulong)length);
        if (prefix > 1)
        {
            Ensure(prefix - 1);
            Buffer.BlockCopy(_buffer, contentStart, _buffer, contentStart + prefix - 1, length);
            _length += prefix - 1;
        }

        var pos = contentStart - 1;
        var value = (ulong)length;
        while (value >= 0x80)
        {
            _buffer[pos++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[pos] = (byte)value;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, size);
    }
}
