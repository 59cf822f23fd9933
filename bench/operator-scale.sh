#!/usr/bin/env bash
# The operator at scale (README "Operator at scale"): a real kube-apiserver + etcd (kube-api-test,
# hack/kube-binaries.sh), the operator as its own JVM with the image's JVM flags (operator/pom.xml,
# jib jvmFlags) under the chart's default memory limit (values.yaml resources.limits.memory), then
# N ModelArtifacts. Prints start-up (process start to /readyz and to holding the Lease), the time
# until every artifact has its Job and a status, peak and steady RSS, heap and CPU, and a PASS/MISS
# line for the 300 MiB target. Exits 1 when the operator crashes or does not reconcile them all.
#   bash bench/operator-scale.sh [--artifacts 1000] [--namespaces 10] [--settle 30] [--timeout 900]
#     [--limit 512Mi] (instead of the chart's) [--jvm-flags '-XX:... -XX:...'] (appended: to try a sizing)
# The memory limit is a real cgroup (v1 memory controller or cgroup v2, when writable: root); else
# the JVM gets -XX:MaxRAM=<limit>, which sizes heap and GC as the container would, and says so.
# Results also go to bench/results/operator-scale-<UTC timestamp>.txt, the operator's log beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

artifacts=1000 namespaces=10 settle=30 timeout=900 limit= extra_flags=
while [ $# -gt 0 ]; do
  case "$1" in
    --artifacts) artifacts=$2; shift 2 ;;
    --namespaces) namespaces=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --jvm-flags) extra_flags=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR
./mvnw -q -B -ntp -pl operator -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath

# The image's JVM flags, exactly as jib writes them into the entrypoint (the operator's own, else the parent's).
pom=operator/pom.xml
grep -q '<jvmFlags>' "$pom" || pom=pom.xml
mapfile -t jvm_flags < <(sed -n '/<jvmFlags>/,/<\/jvmFlags>/s/.*<jvmFlag>\(.*\)<\/jvmFlag>.*/\1/p' "$pom")
[ ${#jvm_flags[@]} -gt 0 ] || { echo "no <jvmFlag> in $pom" >&2; exit 1; }
read -r -a extra <<<"$extra_flags"
jvm_flags+=("${extra[@]}")
# The chart's default limit: resources.limits.memory in values.yaml (Mi or Gi).
[ -n "$limit" ] || limit=$(awk '/^resources:/{r=1} r&&/^  limits:/{l=1} r&&l&&/^    memory:/{print $2; exit}' charts/modelprefetch/values.yaml)
case "$limit" in
  *Mi) limit_bytes=$((${limit%Mi} * 1048576)) ;;
  *Gi) limit_bytes=$((${limit%Gi} * 1073741824)) ;;
  *) echo "cannot read resources.limits.memory from charts/modelprefetch/values.yaml (got '$limit')" >&2; exit 1 ;;
esac

cgroup= launcher=()
if [ -w /sys/fs/cgroup/memory ]; then
  cgroup=/sys/fs/cgroup/memory/modelprefetch-operator-scale-$$
  mkdir "$cgroup" && echo "$limit_bytes" >"$cgroup/memory.limit_in_bytes"
elif [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  cgroup=/sys/fs/cgroup/modelprefetch-operator-scale-$$
  mkdir "$cgroup" && echo "$limit_bytes" >"$cgroup/memory.max"
fi
if [ -n "$cgroup" ]; then
  trap 'rmdir "$cgroup" 2>/dev/null || true' EXIT
  launcher=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cgroup")
  memory="memory limit $limit (cgroup $cgroup)"
else
  jvm_flags+=("-XX:MaxRAM=$limit_bytes")
  memory="memory limit $limit emulated with -XX:MaxRAM (no writable cgroup: not root?)"
fi

mkdir -p bench/results
out="bench/results/operator-scale-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "operator-scale: $artifacts ModelArtifacts in $namespaces namespaces; $memory; $(nproc) CPUs"
  echo "operator JVM flags: ${jvm_flags[*]}"
} | tee "$out"
status=0
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -Dmodelprefetch.bench.operatorLog="${out%.txt}.operator.log" \
  -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)" \
  io.modelprefetch.operator.bench.OperatorScaleBench "$artifacts" "$namespaces" "$settle" "$timeout" -- \
  "${launcher[@]}" "$JAVA_HOME/bin/java" "${jvm_flags[@]}" \
  -cp "$PWD/operator/target/modelprefetch-operator.jar" io.modelprefetch.operator.Main 2>&1 | tee -a "$out" \
  || status=$?
echo "results: $out"
exit "$status"
