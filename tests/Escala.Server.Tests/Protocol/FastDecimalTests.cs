using System.Globalization;
using System.Text;
using Escala.Onnx.Tensors;
using Escala.Server.Protocol;

namespace Escala.Server.Tests.Protocol;

public sealed class FastDecimalTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("5.1")]
    [InlineData("-0.25")]
    [InlineData("3e-4")]
    [InlineData("1E22")]
    [InlineData("1e23")]
    [InlineData("0.1")]
    [InlineData("123456789012345678901")]
    [InlineData("9007199254740993")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("4.9e-324")]
    [InlineData("0.000000000000000000000000001")]
    public void Request_numbers_read_exactly_as_the_general_parser_reads_them(string number)
    {
        var request = InferenceRequestReader.Read(Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[{{number}}]}]}"""));

        var value = ((OnnxTensor<double>)request.Inputs["x"])[0];

        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(number, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Thousands_of_random_decimals_read_bit_for_bit_as_double_parse_reads_them()
    {
        var random = new Random(5);
        var texts = Enumerable.Range(0, 20_000).Select(i => (i % 4) switch
        {
            0 => (random.NextDouble() * 200 - 100).ToString("R", CultureInfo.InvariantCulture),
            1 => Math.Round(random.NextDouble() * 1000, random.Next(0, 8)).ToString(CultureInfo.InvariantCulture),
            2 => (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("E10", CultureInfo.InvariantCulture),
            _ => random.NextInt64(-(1L << 60), 1L << 60).ToString(CultureInfo.InvariantCulture),
        }).ToArray();
        var body = Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"x","shape":[{{texts.Length}}],"datatype":"FP64","data":[{{string.Join(',', texts)}}]}]}""");

        var values = ((OnnxTensor<double>)InferenceRequestReader.Read(body).Inputs["x"]).ToArray();

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(double.Parse(texts[i], CultureInfo.InvariantCulture).Equals(values[i]), $"{texts[i]} read as {values[i]:R}");
        }
    }
}
