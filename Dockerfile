# Escala server image: a Release build of the `escala` CLI, run as `escala serve` by a non-root user.
# Build:  docker build -t escala .
# Run:    docker run -p 5080:5080 -e ESCALA_STORE='postgres:Host=db;Database=escala;Username=escala;Password=...' escala
#         (without ESCALA_STORE it serves from SQLite in /var/lib/escala: mount a volume there to keep it).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so that a source change does not re-download packages.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Escala.Core/Escala.Core.csproj src/Escala.Core/
COPY src/Escala.Onnx/Escala.Onnx.csproj src/Escala.Onnx/
COPY src/Escala.Storage/Escala.Storage.csproj src/Escala.Storage/
COPY src/Escala.Server/Escala.Server.csproj src/Escala.Server/
COPY src/Escala.Cli/Escala.Cli.csproj src/Escala.Cli/
RUN dotnet restore src/Escala.Cli/Escala.Cli.csproj
COPY src/ src/
RUN dotnet publish src/Escala.Cli/Escala.Cli.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# A fixed, unprivileged uid/gid, so Kubernetes' runAsNonRoot can check it and volumes can be chowned to it.
RUN groupadd --system --gid 10001 escala \
 && useradd --system --uid 10001 --gid escala --home-dir /var/lib/escala --shell /usr/sbin/nologin escala \
 && mkdir -p /var/lib/escala \
 && chown escala:escala /var/lib/escala
WORKDIR /app
COPY --from=build /app ./
USER 10001:10001
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_gcServer=1
EXPOSE 5080
VOLUME ["/var/lib/escala"]
# The runtime image has no curl; bash's /dev/tcp asks the liveness route without adding a package.
HEALTHCHECK --interval=10s --timeout=2s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/5080 && printf "GET /v2/health/live HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["/app/escala"]
CMD ["serve", "--data", "/var/lib/escala", "--urls", "http://0.0.0.0:5080"]
