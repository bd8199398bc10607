#!/usr/bin/env bash
# Durable prediction log cost (docs/benchmarks.md, "Durable prediction log"): the same gateway in the default
# buffered log mode and in PredictionLog__Mode=Durable (an answer waits until its log line is committed, group
# commit), serving the demo's credit-risk v1 on 127.0.0.1, driven by the gateway load generator in the same run:
# a fresh server of each mode (ports alternating), both warmed for SERVER_WARMUP s, then PAIRS interleaved pairs of
# closed-loop runs (CONCURRENCY workers) and PAIRS pairs at a fixed RATE, order alternating. After the runs it counts
# the lines each server's log holds against its answered requests. Bounded: about 2 minutes. Usage:
#   bench/Escala.Gateway.LoadTest/run-durable-log.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-/tmp/escala-durable-log-bench}
PAIRS=${PAIRS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-32}
RATE=${RATE:-500}
SERVER_WARMUP=${SERVER_WARMUP:-10}
PORT_A=${PORT_A:-5192}
PORT_B=${PORT_B:-5193}

# shellcheck source=bench-setup.sh
. "$ROOT/bench/Escala.Gateway.LoadTest/bench-setup.sh"
bench_build
bench_demo_data "$OUT/buffered"
cp -r "$OUT/buffered" "$OUT/durable"

BUF_PID=""; DUR_PID=""
cleanup() { for pid in $BUF_PID $DUR_PID; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
export ESCALA_API_KEY
ESCALA_API_KEY=$(cat "$OUT/buffered/bootstrap-admin.key")
AUTH="Authorization: Bearer $ESCALA_API_KEY"
cat >"$OUT/body.json" <<'JSON'
{"inputs":[{"name":"features","shape":[1,6],"datatype":"FP32","data":[52.3,0.31,0.42,1,4.5,39]}]}
JSON
RESULTS="$OUT/results.jsonl"

$ESCALA serve --data "$OUT/buffered" --urls "http://127.0.0.1:$PORT_A" >"$OUT/serve-buffered.log" 2>&1 & BUF_PID=$!
PredictionLog__Mode=Durable $ESCALA serve --data "$OUT/durable" --urls "http://127.0.0.1:$PORT_B" >"$OUT/serve-durable.log" 2>&1 & DUR_PID=$!
ready() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/v2/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "server on port $1 did not start" >&2; return 1; }
ready "$PORT_A"; ready "$PORT_B"
for port in $PORT_A $PORT_B; do
  ESCALA_URL="http://127.0.0.1:$port" $ESCALA endpoints create bench --description "durable log benchmark" >/dev/null
  ESCALA_URL="http://127.0.0.1:$port" $ESCALA deploy bench credit-risk:1 >/dev/null
done

run() { # label port extra-args...
  local label=$1 port=$2; shift 2
  $LOAD --label "$label" --url "http://127.0.0.1:$port/v2/models/bench/infer" --body "$OUT/body.json" --header "$AUTH" \
        --duration "$DURATION" --warmup "$WARMUP" --expect '"outputs"' --json-out "$RESULTS" "$@" | head -3
}

echo "machine: $(nproc) cores; load average at the start (other users): $(cut -d' ' -f1-3 /proc/loadavg)"
CPU_AT_START=$(head -1 /proc/stat)
echo "warming both servers up (not recorded): $SERVER_WARMUP s each"
for port in $PORT_A $PORT_B; do
  $LOAD --label warmup --url "http://127.0.0.1:$port/v2/models/bench/infer" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" --duration "$SERVER_WARMUP" --warmup 0 >/dev/null
done
for pair in $(seq 1 "$PAIRS"); do
  if [ $((pair % 2)) -eq 1 ]; then
    run "buffered log, peak" "$PORT_A" --concurrency "$CONCURRENCY"; run "durable log, peak" "$PORT_B" --concurrency "$CONCURRENCY"
  else
    run "durable log, peak" "$PORT_B" --concurrency "$CONCURRENCY"; run "buffered log, peak" "$PORT_A" --concurrency "$CONCURRENCY"
  fi
done
for pair in $(seq 1 "$PAIRS"); do
  if [ $((pair % 2)) -eq 1 ]; then
    run "buffered log at $RATE req/s" "$PORT_A" --rate "$RATE" --concurrency 64; run "durable log at $RATE req/s" "$PORT_B" --rate "$RATE" --concurrency 64
  else
    run "durable log at $RATE req/s" "$PORT_B" --rate "$RATE" --concurrency 64; run "buffered log at $RATE req/s" "$PORT_A" --rate "$RATE" --concurrency 64
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); CPU time stolen by the hypervisor during the run: $(cpu_steal_since "$CPU_AT_START")"

# What each log holds once its server has stopped (graceful stop: the buffered one drains its queue too).
for mode in buffered durable; do
  pid=$BUF_PID; [ "$mode" = durable ] && pid=$DUR_PID
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$mode: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from prediction_log').fetchone()[0])" "$OUT/$mode/escala.db") log lines after a graceful stop"
done
BUF_PID=""; DUR_PID=""
echo
$LOAD summarize "$RESULTS" | tee "$OUT/summary.md"
