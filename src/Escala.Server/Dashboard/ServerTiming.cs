using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Escala.Server.Dashboard;

/// <summary>Times the sections of a page for the <c>Server-Timing</c> header (browsers show it in their network panel).</summary>
public sealed class ServerTiming
{
    private readonly StringBuilder _header = new();
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Ends the section named <paramref name="name"/> (a token: letters, digits, dashes).</summary>
    public void Mark(string name)
    {
        var now = Stopwatch.GetTimestamp();
        _header.Append(_header.Length == 0 ? "" : ", ").Append(name).Append(CultureInfo.InvariantCulture, $";dur={Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds:0.#}");
        _last = now;
    }

    /// <inheritdoc/>
    public override string ToString() => _header.ToString();
}
