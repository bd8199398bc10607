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
