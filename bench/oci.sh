#!/usr/bin/env bash
# OCI bench row: `modelprefetch pull oci://…` vs `oras pull` of the same ModelPack-style artifact
# from the same real registry (CNCF distribution), through the bench's shaping proxy.
#   bash bench/oci.sh [--layer-mib 256] [--layers 2] [--runs 3] [--per-connection-mbps 25] [--rtt-ms 20] [--aggregate-mbps 300]
# Both outputs are sha256-checked before a time counts. Prints one line per run and the median ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

layer_mib=256 layers=2 runs=3 per_conn=25 rtt=20 aggregate=300
while (($#)); do
  case "$1" in
    --layer-mib) layer_mib=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --per-connection-mbps) per_conn=$2; shift 2 ;;
    --rtt-ms) rtt=$2; shift 2 ;;
    --aggregate-mbps) aggregate=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

tools=$(bash hack/oci-tools.sh | tail -n 1)
./mvnw -q -B -ntp -pl initcontainer,bench -am package -DskipTests
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
YAML
OTEL_TRACES_EXPORTER=none OTEL_SDK_DISABLED=true "$tools/registry" serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done

"$JAVA_HOME/bin/java" -cp bench/target/classes io.modelprefetch.bench.shaper.ShaperMain \
  "http://127.0.0.1:$port" "$per_conn" "$rtt" "$aggregate" >"$work/shaper.out" 2>"$work/shaper.log" &
pids+=($!)
for _ in $(seq 1 100); do [[ -s "$work/shaper.out" ]] && break; sleep 0.1; done
shaped=$(sed 's#^http://##' "$work/shaper.out")

# The artifact: config.json plus $layers raw weight layers of $layer_mib MiB (random bytes).
mkdir -p "$work/push"
files=()
annotations='{'
for i in $(seq 1 "$layers"); do
  head -c "$((layer_mib << 20))" /dev/urandom >"$work/push/model-$i.safetensors"
  files+=("model-$i.safetensors:application/vnd.cncf.model.weight.v1.raw")
  annotations+="\"model-$i.safetensors\":{\"org.cncf.model.filepath\":\"model-$i.safetensors\"},"
done
echo '{"model_type":"llama"}' >"$work/push/config.json"
annotations+='"config.json":{"org.cncf.model.filepath":"config.json"}}'
echo "$annotations" >"$work/push/annotations.json"
(cd "$work/push" && "$tools/oras" push --plain-http "127.0.0.1:$port/bench/model:v1" \
  --artifact-type application/vnd.cncf.model.manifest.v1+json --annotation-file annotations.json \
  config.json:application/vnd.cncf.model.weight.config.v1.raw "${files[@]}" >/dev/null)
expected=$(cd "$work/push" && sha256sum config.json model-*.safetensors)
total_mb=$(( (layer_mib << 20) * layers / 1000000 ))

# Seconds taken by "$@" (wall clock), after which DIR must hold the pushed bytes.
timed() {
  local dir=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; echo "FAILED: $*" >&2; exit 1; }
  end=$(date +%s.%N)
  [[ "$(cd "$dir" && sha256sum config.json model-*.safetensors)" == "$expected" ]] || { echo "wrong bytes in $dir" >&2; exit 1; }
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}

echo "OCI pull through the shaper ($per_conn MB/s per connection, $rtt ms RTT, $aggregate MB/s total): $layers x $layer_mib MiB + config.json"
declare -A times
for tool in modelprefetch oras oras-c16; do times[$tool]=""; done
for run in $(seq 1 "$runs"); do
  rm -rf "$work/out-"*
  t=$(timed "$work/out-mp" hack/modelprefetch pull "oci://$shaped/bench/model:v1" --plain-http --dest "$work/out-mp" --progress none)
  times[modelprefetch]+="$t "
  mkdir -p "$work/out-oras" "$work/out-oras16"
  t=$(timed "$work/out-oras" "$tools/oras" pull --plain-http -o "$work/out-oras" "$shaped/bench/model:v1")
  times[oras]+="$t "
  t=$(timed "$work/out-oras16" "$tools/oras" pull --plain-http --concurrency 16 -o "$work/out-oras16" "$shaped/bench/model:v1")
  times[oras-c16]+="$t "
  echo "run $run: modelprefetch $(echo "${times[modelprefetch]}" | awk '{print $NF}') s, oras $(echo "${times[oras]}" | awk '{print $NF}') s, oras --concurrency 16 $(echo "${times[oras-c16]}" | awk '{print $NF}') s"
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mp=$(median "${times[modelprefetch]}")
for tool in modelprefetch oras oras-c16; do
  m=$(median "${times[$tool]}")
  awk -v t="$tool" -v m="$m" -v mb="$total_mb" -v mp="$mp" \
    'BEGIN {printf "%-14s median %6.2f s  %6.1f MB/s  modelprefetch speed-up %.2fx\n", t, m, mb / m, m / mp}'
done
