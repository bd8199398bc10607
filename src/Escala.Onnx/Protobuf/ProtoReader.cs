using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Escala.Onnx.Protobuf;

/// <summary>
/// A bounds-checked protocol buffers reader over a span. Every length is checked against the bytes
/// actually present before anything is allocated, so a hostile declared size cannot make it allocate
/// or loop beyond the input; nesting depth is limited by the callers through <see cref="Enter"/>.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>The deepest message nesting accepted (graphs inside attributes, types inside types).</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _baseOffset;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> buffer, int baseOffset = 0)
    {
        _buffer = buffer;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public readonly bool End => _position >= _buffer.Length;

    /// <summary>The absolute offset in the original input, for error messages.</summary>
    public readonly int Offset => _baseOffset + _position;

    public static int Enter(int depth, string message)
    {
        if (depth >= MaxDepth)
        {
            throw new ProtoFormatException($"{message} is nested more than {MaxDepth} levels deep.");
        }

        return depth + 1;
    }

    public int ReadTag(out WireType wireType)
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        wireType = (WireType)(tag & 7);
        if (field == 0 || field > 536_870_911)
        {
            throw new ProtoFormatException($"Invalid field number {field} at byte {Offset}: the data is not a protocol buffers message.");
        }

        return (int)field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_position < _buffer.Length && _buffer[_position] < 0x80)
        {
            return _buffer[_position++];
        }

        return ReadVarintSlow();
    }

    private ulong ReadVarintSlow()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                throw new ProtoFormatException($"Truncated varint at byte {Offset}.");
            }

            var b = _buffer[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new ProtoFormatException($"Malformed varint (more than 10 bytes) at byte {Offset}.");
    }

    public long ReadInt64() => (long)ReadVarint();

    public int ReadInt32() => (int)ReadVarint();

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            throw new ProtoFormatException(
                $"A field at byte {Offset} declares {length} bytes but only {_buffer.Length - _position} remain: the file is truncated or not an ONNX model.");
        }

        return Take((int)length);
    }

    /// <summary>A reader over the next length-delimited field, for a nested message.</summary>
    public ProtoReader ReadMessage()
    {
        var bytes = ReadBytes();
        return new ProtoReader(bytes, Offset - bytes.Length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public void Expect(WireType actual, WireType expected, string field)
    {
        if (actual != expected)
        {
            throw new ProtoFormatException($"Field {field} at byte {Offset} has wire type {actual}, expected {expected}.");
        }
    }

    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            case WireType.LengthDelimited:
                ReadBytes();
                break;
            default:
                throw new ProtoFormatException($"Unsupported wire type {(int)wireType} at byte {Offset}: the data is not an ONNX protocol buffers message.");
        }
    }

    /// <summary>A repeated int64 field, packed or not.</summary>
    public void ReadInt64s(WireType wireType, List<long> into)
    {
        if (wireType == WireType.Varint)
        {
            into.Add(ReadInt64());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "repeated int64");
        var inner = new ProtoReader(ReadBytes(), Offset);
        while (!inner.End)
        {
            into.Add(inner.ReadInt64());
        }
    }

    /// <summary>A repeated uint64 field, packed or not.</summary>
    public void ReadUInt64s(WireType wireType, List<ulong> into)
    {
        if (wireType == WireType.Varint)
        {
            into.Add(ReadVarint());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "repeated uint64");
        var inner = new ProtoReader(ReadBytes(), Offset);
        while (!inner.End)
        {
            into.Add(inner.ReadVarint());
        }
    }

    /// <summary>A repeated int32 field, packed or not.</summary>
    public void ReadInt32s(WireType wireType, List<int> into)
    {
        if (wireType == WireType.Varint)
        {
            into.Add(ReadInt32());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "repeated int32");
        var inner = new ProtoReader(ReadBytes(), Offset);
        while (!inner.End)
        {
            into.Add(inner.ReadInt32());
        }
    }

    /// <summary>A repeated float field, packed or not.</summary>
    public void ReadFloats(WireType wireType, List<float> into)
    {
        if (wireType == WireType.Fixed32)
        {
            into.Add(ReadFloat());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "repeated float");
        var bytes = ReadBytes();
        if (bytes.Length % 4 != 0)
        {
            throw new ProtoFormatException($"A packed float field before byte {Offset} has {bytes.Length} bytes, not a multiple of 4.");
        }

        into.EnsureCapacity(into.Count + (bytes.Length / 4));
        for (var i = 0; i < bytes.Length; i += 4)
        {
            into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
        }
    }

    /// <summary>A repeated double field, packed or not.</summary>
    public void ReadDoubles(WireType wireType, List<double> into)
    {
        if (wireType == WireType.Fixed64)
        {
            into.Add(ReadDouble());
            return;
        }

        Expect(wireType, WireType.LengthDelimited, "repeated double");
        var bytes = ReadBytes();
        if (bytes.Length % 8 != 0)
        {
            throw new ProtoFormatException($"A packed double field before byte {Offset} has {bytes.Length} bytes, not a multiple of 8.");
        }

        into.EnsureCapacity(into.Count + (bytes.Length / 8));
        for (var i = 0; i < bytes.Length; i += 8)
        {
            into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _buffer.Length - _position)
        {
            throw new ProtoFormatException($"Truncated data at byte {Offset}: {count} bytes needed, {_buffer.Length - _position} remain.");
        }

        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }
}
