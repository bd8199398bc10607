#!/usr/bin/env bash
# Rate-limiting cost (docs/benchmarks.md, "Rate limiting"): the same gateway with its rate limits on (the
# defaults: per-address and per-key token buckets, checked on every request after authentication) and off
# (RateLimits__Enabled=false), serving the demo's credit-risk v1 on 127.0.0.1, driven by the gateway load
# generator. Same method as run-monitoring-overhead.sh (fresh on/off servers per round, warmed, interleaved
# pairs, server CPU per request from /proc), with shorter defaults so one run stays under two minutes after
# the build and the demo data: ROUNDS=2 PAIRS=1 DURATION=10 WARMUP=2 SERVER_WARMUP=8. Usage:
#   bench/Escala.Gateway.LoadTest/run-ratelimit-overhead.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${1:-/tmp/escala-ratelimit-bench}
ROUNDS=${ROUNDS:-2}
PAIRS=${PAIRS:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-32}
SERVER_WARMUP=${SERVER_WARMUP:-8}
PORT_A=${PORT_A:-5192}
PORT_B=${PORT_B:-5193}

# shellcheck source=bench-setup.sh
. "$ROOT/bench/Escala.Gateway.LoadTest/bench-setup.sh"
bench_build
bench_demo_data "$OUT/on"
cp -r "$OUT/on" "$OUT/off"

ON_PID=""; OFF_PID=""
cleanup() { for pid in $ON_PID $OFF_PID; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
export ESCALA_API_KEY
ESCALA_API_KEY=$(cat "$OUT/on/bootstrap-admin.key")
AUTH="Authorization: Bearer $ESCALA_API_KEY"
cat >"$OUT/body.json" <<'JSON'
{"inputs":[{"name":"features","shape":[1,6],"datatype":"FP32","data":[52.3,0.31,0.42,1,4.5,39]}]}
JSON
RESULTS="$OUT/results.jsonl"
CPU="$OUT/cpu.tsv"
: >"$CPU"

start_on() { $ESCALA serve --data "$OUT/on" --urls "http://127.0.0.1:$1" >>"$OUT/serve-on.log" 2>&1 & ON_PID=$!; }
start_off() { RateLimits__Enabled=false $ESCALA serve --data "$OUT/off" --urls "http://127.0.0.1:$1" >>"$OUT/serve-off.log" 2>&1 & OFF_PID=$!; }
ready() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/v2/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "server on port $1 did not start" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
answered() { curl -sf -H "$AUTH" "http://127.0.0.1:$1/api/v1/endpoints/bench" | grep -oE '"answered":[0-9]+' | head -1 | cut -d: -f2; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

run() { # label port pid
  local t0 a0 t1 a1
  t0=$(cpu_ticks "$3"); a0=$(answered "$2")
  $LOAD --label "$1" --url "http://127.0.0.1:$2/v2/models/bench/infer" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" \
        --duration "$DURATION" --warmup "$WARMUP" --expect '"outputs"' --json-out "$RESULTS" | head -3
  t1=$(cpu_ticks "$3"); a1=$(answered "$2")
  awk -v l="$1" -v t="$((t1 - t0))" -v n="$((a1 - a0))" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { us = 1e6 * t / hz / n; printf "  server CPU %.1f us per request (%d requests)\n", us, n; printf "%s\t%.3f\n", l, us >> "'"$CPU"'" }'
}

echo "machine: $(nproc) cores; load average at the start (other users): $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then ON_PORT=$PORT_A; OFF_PORT=$PORT_B; start_on "$ON_PORT"; start_off "$OFF_PORT";
  else ON_PORT=$PORT_B; OFF_PORT=$PORT_A; start_off "$OFF_PORT"; start_on "$ON_PORT"; fi
  ready "$ON_PORT"; ready "$OFF_PORT"
  if [ "$round" -eq 1 ]; then
    for port in $ON_PORT $OFF_PORT; do
      ESCALA_URL="http://127.0.0.1:$port" $ESCALA endpoints create bench --description "rate limiting benchmark" >/dev/null
      ESCALA_URL="http://127.0.0.1:$port" $ESCALA deploy bench credit-risk:1 >/dev/null
      curl -sf -H "$AUTH" -H 'Content-Type: application/json' --data @"$OUT/body.json" "http://127.0.0.1:$port/v2/models/bench/infer" >/dev/null
    done
  fi

  echo "round $round of $ROUNDS: fresh servers (limits on: port $ON_PORT, off: port $OFF_PORT), warming up $SERVER_WARMUP s each (load average $(cut -d' ' -f1 /proc/loadavg))"
  $LOAD --label warmup --url "http://127.0.0.1:$ON_PORT/v2/models/bench/infer" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" --duration "$SERVER_WARMUP" --warmup 0 >/dev/null
  $LOAD --label warmup --url "http://127.0.0.1:$OFF_PORT/v2/models/bench/infer" --body "$OUT/body.json" --header "$AUTH" --concurrency "$CONCURRENCY" --duration "$SERVER_WARMUP" --warmup 0 >/dev/null
  for p in $(seq 1 "$PAIRS"); do
    if [ $(((round + p) % 2)) -eq 0 ]; then
      run "gateway, rate limits on" "$ON_PORT" "$ON_PID"; run "gateway, rate limits off" "$OFF_PORT" "$OFF_PID"
    else
      run "gateway, rate limits off" "$OFF_PORT" "$OFF_PID"; run "gateway, rate limits on" "$ON_PORT" "$ON_PID"
    fi
  done
  echo "429s on the limited server this round (must be 0): $(curl -sf -H "$AUTH" "http://127.0.0.1:$ON_PORT/metrics" | grep '^escala_rate_limit_rejections_total' | awk '{s += $2} END {print s + 0}')"
  stop "$ON_PID"; stop "$OFF_PID"; ON_PID=""; OFF_PID=""
done

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
$LOAD summarize "$RESULTS" --pair "gateway, rate limits off" "gateway, rate limits on" | tee "$OUT/summary.md"
for label in "gateway, rate limits off" "gateway, rate limits on"; do
  grep -F "$label	" "$CPU" | cut -f2 | sort -n | awk -v l="$label" \
    '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "server CPU per request, %s: median %.1f us (%.1f-%.1f) over %d runs\n", l, m, a[1], a[NR], NR }'
done | tee -a "$OUT/summary.md"
