# Sourced by the benchmark scripts in this folder (run from the repository root, ROOT and OUT set):
# builds the CLI and the load generator in Release, sets ESCALA and LOAD, and makes a data folder
# with the demo's credit-risk model (v1 and v2: logistic regression, Gemm + Sigmoid, 6 features,
# each registered with its training data as monitoring baseline).
bench_build() {
  rm -rf "$OUT" && mkdir -p "$OUT"
  echo "building (Release)..."
  dotnet build -c Release -v quiet -nologo src/Escala.Cli >/dev/null
  dotnet build -c Release -v quiet -nologo bench/Escala.Gateway.LoadTest >/dev/null
  ESCALA="dotnet $ROOT/src/Escala.Cli/bin/Release/net10.0/escala.dll"
  LOAD="$ROOT/bench/Escala.Gateway.LoadTest/bin/Release/net10.0/Escala.Gateway.LoadTest"
}

bench_demo_data() { # DATA_DIR
  echo "preparing the model: escala demo trains and registers credit-risk v1 and v2"
  $ESCALA demo --data "$1" >"$OUT/demo.log"
}

# CPU time the hypervisor gave to other guests (steal) since the /proc/stat "cpu" line in $1, as a share
# of all CPU time: on a shared virtual machine it is capacity that comes and goes during a run, which a
# closed loop absorbs and a fixed-rate run turns into queueing.
cpu_steal_since() { # "cpu user nice system idle iowait irq softirq steal ..."
  awk -v a="$1" -v b="$(head -1 /proc/stat)" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    printf "%.1f%%", (total > 0 ? 100 * (y[9] - x[9]) / total : 0) }'
}
