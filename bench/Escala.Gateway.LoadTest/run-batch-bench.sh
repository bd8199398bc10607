#!/usr/bin/env bash
# Batch scoring benchmark (docs/benchmarks.md, "Serving gateway"): `escala batch` streams CSV files of
# 100 MiB and 1 GiB through a local gateway and reports, per file, rows/s and the peak resident memory
# (VmHWM) of the CLI and of the server. Constant memory means the two files peak alike. Everything
# listens on 127.0.0.1 only. Usage:
#   bench/Escala.Gateway.LoadTest/run-batch-bench.sh [OUT_DIR]      (SIZES="100 1024" by default, in MiB)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-/tmp/escala-batch-bench}
SIZES=${SIZES:-100 1024}
PORT=${GW_PORT:-5182}

# shellcheck source=bench-setup.sh
. "$ROOT/bench/Escala.Gateway.LoadTest/bench-setup.sh"
bench_build
bench_demo_data "$OUT/data"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
$ESCALA serve --data "$OUT/data" --urls "http://127.0.0.1:$PORT" >"$OUT/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null || { echo "escala serve did not become ready:"; tail -20 "$OUT/serve.log"; exit 1; }
# The server process is `dotnet escala.dll serve`; its peak RSS is read from /proc when each file is done.
export ESCALA_URL="http://127.0.0.1:$PORT" ESCALA_API_KEY
ESCALA_API_KEY=$(cat "$OUT/data/bootstrap-admin.key")
$ESCALA endpoints create batch --description "batch scoring benchmark" >/dev/null
$ESCALA deploy batch credit-risk:1 >/dev/null

echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| file | rows | seconds | rows/s | CLI peak RSS | server peak RSS | output | prediction log growth |"
echo "|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
  $LOAD make-csv --out "$OUT/in-$size.csv" --megabytes "$size" >"$OUT/make-$size.log"
  db_before=$(du -m "$OUT/data/escala.db" | cut -f1)
  rows=$(grep -oE 'wrote [0-9,]+' "$OUT/make-$size.log" | tr -dc '0-9')
  /usr/bin/time -f "%M %e" -o "$OUT/time-$size" $ESCALA batch batch --in "$OUT/in-$size.csv" --out "$OUT/out-$size.csv" \
      >"$OUT/batch-$size.log" 2>&1
  read -r rss_kb seconds <"$OUT/time-$size"
  server_kb=$(grep VmHWM "/proc/$SERVER_PID/status" | tr -dc '0-9')
  out_rows=$(($(wc -l <"$OUT/out-$size.csv") - 1))
  [ "$out_rows" -eq "$rows" ] || { echo "scored $out_rows rows of $rows"; exit 1; }
  awk -v f="$size MiB" -v r="$rows" -v s="$seconds" -v c="$rss_kb" -v v="$server_kb" -v o="$(du -m "$OUT/out-$size.csv" | cut -f1)" \
      -v g="$(($(du -m "$OUT/data/escala.db" | cut -f1) - db_before))" \
      'BEGIN { printf "| %s | %d | %.1f | %d | %.0f MiB | %.0f MiB | %s MiB, every row scored | %s MiB |\n", f, r, s, r / s, c / 1024, v / 1024, o, g }'
  rm -f "$OUT/in-$size.csv" "$OUT/out-$size.csv"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
