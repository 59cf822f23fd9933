#!/usr/bin/env bash
# The benchmark: modelprefetch vs peer tools through shaped loopback origins (see README "Benchmarks").
#   bash bench/run.sh            default: both link shapes (fat, wan), 1 run each (2 x 256 MiB, 4 x 64 MiB + 30, 500 x 64 KiB; sizes, --runs are flags)
#   bash bench/run.sh --quick    tiny datasets, 1 run (CI)
#   bash bench/run.sh --help     every option (link shape, sizes, sources, tools, modelprefetch variants)
# Results: bench/results/<UTC timestamp>/{results.md,results.json,chart.png,logs/}.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
started=$(date +%s)

eval "$(bash bench/peers/install.sh)"
./mvnw -q -B -ntp -pl initcontainer,bench -am package -DskipTests

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
status=0
# The fixtures' origins send bodies with sendfile on blocking sockets from virtual threads; behind a
# shaper that send blocks and pins its carrier, and with one carrier per core the proxy threads that
# would drain it never run (deadlock). Enough carriers make that a thread per connection again.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -Djdk.virtualThreadScheduler.parallelism=512 -Djdk.virtualThreadScheduler.maxPoolSize=1024 -jar "$PWD/bench/target/bench.jar" \
  --out "$out" --cache "$MODELPREFETCH_CACHE/bench-data" --modelprefetch "$PWD/hack/modelprefetch" "$@" || status=$?

if [[ -f "$out/results.json" && -n "${BENCH_PY:-}" ]]; then
  "$BENCH_PY" bench/chart.py "$out/results.json" "$out/chart.png" || echo "chart failed" >&2
fi
echo "results: $out (took $(($(date +%s) - started)) s)"
exit "$status"
