#!/usr/bin/env bash
# Gateway benchmark (docs/benchmarks.md, "Gateway"): Escala's gateway and ONNX Runtime behind Node's
# HTTP server (../shared/tools/ort-reference.mjs serve) serve the same ONNX model on 127.0.0.1, driven by
# the same load generator in the same run, interleaved and repeated:
#   1. peak: closed loop, CONCURRENCY workers, DURATION s each, REPEATS times, gateway and peer alternating;
#   2. half of the gateway's median peak, as a fixed rate, for both (the same load);
#   3. the gateway at that rate for CHURN_SECONDS while the endpoint is promoted and rolled back every second
#      (blue-green switch and switch back), checking every answer; the peer at the same rate for as long.
# Both servers are first warmed up for SERVER_WARMUP s (the JIT's tiering takes that long on a busy
# 2-core machine). Everything listens on 127.0.0.1 only and every run is bounded in time. Usage:
#   bench/Escala.Gateway.LoadTest/run-gateway-bench.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-/tmp/escala-gateway-bench}
SHARED=${ESCALA_SHARED:-$ROOT/../shared}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
REPEATS=${REPEATS:-3}
CONCURRENCY=${CONCURRENCY:-32}
# Fixed-rate runs need spare workers: with too few, a short stall leaves a backlog that the workers,
# already near their own limit, never catch up on, and the percentiles measure the generator's pool.
RATE_CONCURRENCY=${RATE_CONCURRENCY:-64}
CHURN_SECONDS=${CHURN_SECONDS:-60}
GW_PORT=${GW_PORT:-5180}
ORT_PORT=${ORT_PORT:-5181}

# shellcheck source=bench-setup.sh
. "$ROOT/bench/Escala.Gateway.LoadTest/bench-setup.sh"
bench_build
bench_demo_data "$OUT/data"
MODEL="$OUT/data/credit-risk-v1.onnx"

GW_PID=""; ORT_PID=""
cleanup() { for pid in $GW_PID $ORT_PID; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
$ESCALA serve --data "$OUT/data" --urls "http://127.0.0.1:$GW_PORT" >"$OUT/serve.log" 2>&1 &
GW_PID=$!
node "$SHARED/tools/ort-reference.mjs" serve "$MODEL" --port "$ORT_PORT" --name credit-risk >"$OUT/ort.log" 2>&1 &
ORT_PID=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$GW_PORT/v2/health/ready" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$ORT_PORT/v2/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$GW_PORT/v2/health/ready" >/dev/null || { echo "escala serve did not become ready; $OUT/serve.log:"; tail -20 "$OUT/serve.log"; exit 1; }
curl -sf "http://127.0.0.1:$ORT_PORT/v2/health/ready" >/dev/null || {
  echo "the ONNX Runtime peer did not become ready (run 'npm ci --ignore-scripts' in $SHARED/tools once); $OUT/ort.log:"
  tail -20 "$OUT/ort.log"; exit 1; }

export ESCALA_URL="http://127.0.0.1:$GW_PORT" ESCALA_API_KEY
ESCALA_API_KEY=$(cat "$OUT/data/bootstrap-admin.key")
$ESCALA endpoints create bench --description "gateway benchmark" >/dev/null
# The churn switches all traffic to credit-risk:2, which the demo leaves in staging: this benchmark endpoint lets
# staging versions take any share (stage rules are an admin's per-endpoint setting; docs/security.md).
curl -sf -X PATCH -H "Authorization: Bearer $ESCALA_API_KEY" -H "Content-Type: application/json" \
  -d '{"stageRules":{"staging":"full"}}' "http://127.0.0.1:$GW_PORT/api/v1/endpoints/bench/settings" >/dev/null
$ESCALA deploy bench credit-risk:1 >/dev/null
$ESCALA deploy bench credit-risk:2 --strategy blue-green
cat >"$OUT/body.json" <<'JSON'
{"inputs":[{"name":"features","shape":[1,6],"datatype":"FP32","data":[52.3,0.31,0.42,1,4.5,39]}]}
JSON
GW_URL="http://127.0.0.1:$GW_PORT/v2/models/bench/infer"
ORT_URL="http://127.0.0.1:$ORT_PORT/v2/models/credit-risk/infer"
AUTH="Authorization: Bearer $ESCALA_API_KEY"
RESULTS="$OUT/results.jsonl"

echo "machine: $(nproc) cores; load average before the first request (other users): $(cut -d' ' -f1-3 /proc/loadavg)"
CPU_AT_START=$(head -1 /proc/stat)
echo "warming both servers up (JIT tiering; not recorded): ${SERVER_WARMUP:-30} s each"
$LOAD --label warmup --url "$GW_URL" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" --duration "${SERVER_WARMUP:-30}" --warmup 0 >/dev/null
$LOAD --label warmup --url "$ORT_URL" --body "$OUT/body.json" --concurrency "$CONCURRENCY" --duration "${SERVER_WARMUP:-30}" --warmup 0 >/dev/null

echo "load average after the warm-up (includes this benchmark): $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$REPEATS"); do
  $LOAD --label "gateway peak" --url "$GW_URL" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" \
        --duration "$DURATION" --warmup "$WARMUP" --expect '"outputs"' --json-out "$RESULTS"
  $LOAD --label "onnxruntime-node peak" --url "$ORT_URL" --body "$OUT/body.json" --concurrency "$CONCURRENCY" \
        --duration "$DURATION" --warmup "$WARMUP" --expect '"outputs"' --json-out "$RESULTS"
done

PEAK=$(grep '"gateway peak"' "$RESULTS" | sed -E 's/.*"RequestsPerSecond":([0-9.]+).*/\1/' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
RATE=$(awk -v p="$PEAK" 'BEGIN {printf "%d", p / 2}')
echo "gateway median peak $PEAK req/s -> fixed rate $RATE req/s for both"
for r in $(seq 1 "$REPEATS"); do
  $LOAD --label "gateway at half peak" --url "$GW_URL" --body "$OUT/body.json" --header "$AUTH" --rate "$RATE" --concurrency "$RATE_CONCURRENCY" \
        --duration "$DURATION" --warmup 3 --expect '"outputs"' --json-out "$RESULTS"
  $LOAD --label "onnxruntime-node at the same rate" --url "$ORT_URL" --body "$OUT/body.json" --rate "$RATE" --concurrency "$RATE_CONCURRENCY" \
        --duration "$DURATION" --warmup 3 --expect '"outputs"' --json-out "$RESULTS"
done

echo "rollout churn: promote and rollback every second for $CHURN_SECONDS s"
$LOAD --label "gateway at half peak, promote/rollback every 1 s" --url "$GW_URL" --body "$OUT/body.json" --header "$AUTH" \
      --rate "$RATE" --concurrency "$RATE_CONCURRENCY" --duration "$CHURN_SECONDS" --warmup 3 --expect '"outputs"' --count-header X-Escala-Version \
      --churn "POST http://127.0.0.1:$GW_PORT/api/v1/endpoints/bench/promote" \
      --churn "POST http://127.0.0.1:$GW_PORT/api/v1/endpoints/bench/rollback" --churn-every 1000 --json-out "$RESULTS"
$LOAD --label "onnxruntime-node at the same rate, $CHURN_SECONDS s" --url "$ORT_URL" --body "$OUT/body.json" --rate "$RATE" --concurrency "$RATE_CONCURRENCY" \
      --duration "$CHURN_SECONDS" --warmup 3 --expect '"outputs"' --json-out "$RESULTS"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); CPU time stolen by the hypervisor during the run: $(cpu_steal_since "$CPU_AT_START")"
AUDITED=$(curl -sf -H "$AUTH" "http://127.0.0.1:$GW_PORT/api/v1/audit?subject=endpoint/bench&limit=1000" | grep -oE '"action":"endpoint\.(promote|rollback)"' | wc -l)
echo "audited promote/rollback records for endpoint bench: $AUDITED"
echo
$LOAD summarize "$RESULTS" | tee "$OUT/summary.md"
