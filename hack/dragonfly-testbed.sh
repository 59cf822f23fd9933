#!/usr/bin/env bash
# dragonfly-testbed.sh - a multi-node Dragonfly cluster on one machine, for the fan-out tier.
#
# "Nodes" are network namespaces joined by a bridge that lives in a namespace of its own:
#
#   root ns  mpdf-h (10.213.0.1 Hub fixture, 10.213.0.3 CDN fixture)   ──┐
#   mpdf-sched  10.213.0.2   scheduler (Manager-less) + seed dfdaemon    ├── bridge in mpdf-br
#   mpdf-n<i>   10.213.0.1<i> dfdaemon (proxy on the namespace's own     │
#                             127.0.0.1:4001) + one modelprefetch pull ──┘
#
# The origin's leg (mpdf-h egress) is shaped to $MODELPREFETCH_DRAGONFLY_ORIGIN_MBIT (default 400
# Mbit/s, 0: unshaped), like a cluster's uplink to the Hub; the links between nodes are not.
#
# Every listener binds to a namespace address or a namespace's loopback; nothing reaches out
# (no Manager, no tracing, no DNS). Needs root (ip netns) and the binaries of
# hack/dragonfly-binaries.sh.
#
# `down` (also run on exit, failure or interrupt of `test` and `bench`) kills every process in the
# test bed's namespaces, deletes the namespaces and the veth, and drops the peers' piece storage;
# the daemons' logs stay in the state directory ($MODELPREFETCH_DRAGONFLY_TESTBED_DIR, default
# /tmp/modelprefetch-dragonfly-testbed) for a post-mortem.
#
# Usage:
#   bash hack/dragonfly-testbed.sh up [NODES]   # default 4 nodes; prints the env file path last
#   bash hack/dragonfly-testbed.sh down
#   bash hack/dragonfly-testbed.sh test [NODES] # up, the multi-node IT (DragonflyFanOutIT), down
#   bash hack/dragonfly-testbed.sh bench [N]    # up, the fan-out bench, down: direct, through
#                                               # dfdaemon's HTTP proxy, through its gRPC API (dfget)
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=mpdf
NET=10.213.0
STATE="${MODELPREFETCH_DRAGONFLY_TESTBED_DIR:-/tmp/modelprefetch-dragonfly-testbed}"
# The origin's link into the cluster (the fixtures' veth, egress), shaped like an uplink to the
# Hub: the resource a fan-out saves. 0 leaves it unshaped. Node-to-node links stay unshaped.
ORIGIN_MBIT="${MODELPREFETCH_DRAGONFLY_ORIGIN_MBIT:-400}"
[[ "${ORIGIN_MBIT}" =~ ^[0-9]+$ ]] || { echo "MODELPREFETCH_DRAGONFLY_ORIGIN_MBIT must be a whole number of Mbit/s" >&2; exit 2; }

log() { printf '[dragonfly-testbed] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

in_ns() { local ns=$1; shift; ip netns exec "${PREFIX}-${ns}" "$@"; }

down() {
  local ns pid
  # Every process in a test bed namespace: the daemons and any pull a killed test JVM left in a
  # node (a namespace outlives its mount while a process is still inside). Only these: a pid file
  # of a daemon that died may name an unrelated process by now.
  for pid in $(testbed_pids); do
    kill "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 50); do
    [[ -z "$(testbed_pids)" ]] && break
    sleep 0.1
  done
  for pid in $(testbed_pids); do
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf -- "${STATE}/pids"
  ip link del "${PREFIX}-h" 2>/dev/null || true
  for ns in $(testbed_namespaces); do
    ip netns del "$ns"
  done
  # The pieces are big and worthless after the run; the logs stay.
  rm -rf -- "${STATE}"/*/storage "${STATE}"/*/cache
}

testbed_namespaces() { ip netns list | awk '{print $1}' | grep "^${PREFIX}-" || true; }

# Pids of the processes in the test bed's namespaces.
testbed_pids() {
  local ns
  for ns in $(testbed_namespaces); do
    ip netns pids "$ns" 2>/dev/null || true
  done
}

# Adds namespace $1 with address $2 on the bridge.
add_node_ns() {
  local name=$1 addr=$2
  ip netns add "${PREFIX}-${name}"
  in_ns "${name}" ip link set lo up
  ip link add "${PREFIX}-${name}-v" type veth peer name eth0 netns "${PREFIX}-${name}"
  ip link set "${PREFIX}-${name}-v" netns "${PREFIX}-br"
  in_ns br ip link set "${PREFIX}-${name}-v" master br0 up
  in_ns "${name}" ip addr add "${addr}/24" dev eth0
  in_ns "${name}" ip link set eth0 up
}

network() {
  local nodes=$1 i
  ip netns add "${PREFIX}-br"
  in_ns br ip link set lo up
  in_ns br ip link add br0 type bridge
  in_ns br ip link set br0 up
  # The fixtures' leg: the test JVM binds the Hub and the CDN to these two addresses.
  ip link add "${PREFIX}-h" type veth peer name "${PREFIX}-h-v" netns "${PREFIX}-br"
  in_ns br ip link set "${PREFIX}-h-v" master br0 up
  ip addr add "${NET}.1/24" dev "${PREFIX}-h"
  ip addr add "${NET}.3/24" dev "${PREFIX}-h"
  ip link set "${PREFIX}-h" up
  if ((ORIGIN_MBIT > 0)); then
    tc qdisc add dev "${PREFIX}-h" root tbf rate "${ORIGIN_MBIT}mbit" burst 1mb latency 100ms
  fi
  add_node_ns sched "${NET}.2"
  for ((i = 0; i < nodes; i++)); do
    add_node_ns "n${i}" "${NET}.$((10 + i))"
  done
}

# Writes the dfdaemon configuration of node $1 (address $2; "seed" for a seed peer).
dfdaemon_config() {
  local name=$1 addr=$2 seed=$3
  local dir="${STATE}/${name}"
  mkdir -p "${dir}/storage" "${dir}/cache" "${dir}/plugins" "${dir}/log"
  cat >"${dir}/dfdaemon.yaml" <<EOF
host:
  hostname: ${PREFIX}-${name}
  ip: ${addr}
server:
  pluginDir: ${dir}/plugins
  cacheDir: ${dir}/cache
download:
  server:
    socketPath: ${dir}/dfdaemon.sock
upload:
  server:
    ip: ${addr}
    port: 4000
scheduler:
  # A parent whose host marks the task finished (a ranged peer there is done) ends its piece stream
  # at once even while its prefetch still fetches the piece asked for (dfdaemon 1.5,
  # dfdaemon_upload.rs sync_pieces), and the node reschedules within milliseconds. With the default
  # 5 tries a node runs out in the first seconds of a fan-out and fetches that piece from the origin
  # itself; with more it keeps asking until a parent has the piece (the scheduler still sends it
  # back to the origin after its own retryBackToSourceLimit).
  maxScheduleCount: 1000
seedPeer:
  enable: ${seed}
  type: super
storage:
  dir: ${dir}/storage
  keep: false
  server:
    ip: ${addr}
    tcpPort: 4005
    quicPort: 4006
backend:
  # Origins are addressed by IP; the namespaces have no DNS.
  enableHickoryDNS: false
proxy:
  server:
    ip: 127.0.0.1
    port: 4001
health:
  server:
    ip: 127.0.0.1
    port: 4003
metrics:
  server:
    ip: 127.0.0.1
    port: 4002
stats:
  server:
    ip: 127.0.0.1
    port: 4004
EOF
  cat >"${dir}/dynconfig.yaml" <<EOF
scheduler:
  addrs:
    - ${NET}.2:8002
EOF
}

scheduler_config() {
  local dir="${STATE}/sched"
  mkdir -p "${dir}/log" "${dir}/plugins"
  cat >"${dir}/scheduler.yaml" <<EOF
server:
  advertiseIP: ${NET}.2
  advertisePort: 8002
  listenIP: ${NET}.2
  port: 8002
  host: ${PREFIX}-sched
  logDir: ${dir}/log
  pluginDir: ${dir}/plugins
scheduler:
  # A peer that finds no parent is sent back to the origin after retryBackToSourceLimit tries
  # (default 4 x 500 ms). Under load the seed may take longer than 2 s to register a new task;
  # the peers wait for it instead of each fetching from the origin.
  retryInterval: 500ms
  retryBackToSourceLimit: 40
  retryLimit: 80
metrics:
  enable: false
job:
  enable: false
EOF
  # Read whole (missing keys are zero, not the defaults): every limit the scheduler reads is here.
  cat >"${dir}/dynconfig.yaml" <<EOF
seedPeerClusterConfig:
  loadLimit: 2000
schedulerClusterConfig:
  candidateParentLimit: 4
  filterParentLimit: 15
schedulerClusterClientConfig:
  loadLimit: 200
EOF
}

# Starts "$@" in namespace $2 as process $1 (ip netns exec execs it: the pid is the daemon's).
start() {
  local name=$1 ns=$2; shift 2
  ip netns exec "${PREFIX}-${ns}" "$@" >"${STATE}/${name}.out" 2>&1 &
  echo $! >"${STATE}/pids/${name}"
}

wait_port() {
  local ns=$1 addr=$2 port=$3 what=$4 pidfile=$5 i
  for ((i = 0; i < 300; i++)); do
    if in_ns "${ns}" bash -c "exec 3<>/dev/tcp/${addr}/${port}" 2>/dev/null; then
      return 0
    fi
    kill -0 "$(cat "${STATE}/pids/${pidfile}")" 2>/dev/null \
      || { tail -n 30 "${STATE}/${pidfile}.out" >&2; die "${what} exited"; }
    sleep 0.2
  done
  tail -n 30 "${STATE}/${pidfile}.out" >&2
  die "${what} did not listen on ${addr}:${port} within 60s"
}

# The scheduler takes its seed peers from the hosts that announced themselves, but only at its seed
# peer refresh, every 30 s from its start (scheduler 2.5, resource/standard/seed_peer.go); before
# that a new task has no seed and the first peer that asks fetches from the origin itself. Waits
# for the first refresh after the seed announced itself. $1, $2: seconds when the scheduler was
# started and when it listened (its refresh ticker starts in between).
wait_seed_known() {
  local launched=$1 listening=$2 log="${STATE}/scheduler.out" announced misses k ready i
  for ((i = 0; ; i++)); do
    grep -q "announce host request.*Hostname:\"${PREFIX}-sched\"" "${log}" && break
    ((i < 300)) || { tail -n 30 "${log}" >&2; die "the seed peer did not announce itself to the scheduler within 60s"; }
    sleep 0.2
  done
  announced=$(date +%s)
  misses=$(grep -c 'no seed peer found' "${log}" || true)
  k=$(((announced - launched) / 30 + 1))
  ready=$((listening + 30 * k + 2))
  log "seed announced; waiting $((ready - announced))s for the scheduler's next seed peer refresh"
  sleep $((ready - announced))
  if grep -q 'failed to check the healthy for seed peer' "${log}" \
    || (($(grep -c 'no seed peer found' "${log}" || true) > misses)); then
    grep -E 'seed peer' "${log}" | tail -n 5 >&2
    die "the scheduler did not take the seed peer (${log})"
  fi
}

up() {
  local nodes=${1:-4} bin i launched listening
  ((nodes >= 3)) || die "a fan-out needs at least 3 nodes"
  [[ "$(id -u)" == 0 ]] || die "creating network namespaces needs root"
  bin="$(bash hack/dragonfly-binaries.sh --check | tail -n 1)" \
    || die "Dragonfly binaries not cached: run bash hack/dragonfly-binaries.sh first (cold: tens of minutes)"
  down
  if [[ -e "${STATE}" && ! -e "${STATE}/.mpdf-testbed" && -n "$(ls -A "${STATE}")" ]]; then
    die "${STATE} exists and is not a test bed state directory; set MODELPREFETCH_DRAGONFLY_TESTBED_DIR"
  fi
  rm -rf -- "${STATE}"
  mkdir -p "${STATE}/pids"
  touch "${STATE}/.mpdf-testbed"
  network "${nodes}"
  scheduler_config
  launched=$(date +%s)
  start scheduler sched "${bin}/scheduler" --console --config "${STATE}/sched/scheduler.yaml" \
    --dynconfig "${STATE}/sched/dynconfig.yaml"
  wait_port sched "${NET}.2" 8002 scheduler scheduler
  listening=$(date +%s)
  dfdaemon_config sched "${NET}.2" true
  start seed sched "${bin}/dfdaemon" --config "${STATE}/sched/dfdaemon.yaml" \
    --dynconfig "${STATE}/sched/dynconfig.yaml" --log-dir "${STATE}/sched/log"
  for ((i = 0; i < nodes; i++)); do
    dfdaemon_config "n${i}" "${NET}.$((10 + i))" false
    start "dfdaemon-n${i}" "n${i}" "${bin}/dfdaemon" --config "${STATE}/n${i}/dfdaemon.yaml" \
      --dynconfig "${STATE}/n${i}/dynconfig.yaml" --log-dir "${STATE}/n${i}/log"
  done
  wait_port sched 127.0.0.1 4001 "seed dfdaemon" seed
  for ((i = 0; i < nodes; i++)); do
    wait_port "n${i}" 127.0.0.1 4001 "dfdaemon of n${i}" "dfdaemon-n${i}"
  done
  wait_seed_known "${launched}" "${listening}"
  {
    echo "nodes=${nodes}"
    echo "prefix=${PREFIX}"
    echo "hub_ip=${NET}.1"
    echo "cdn_ip=${NET}.3"
    echo "proxy=http://127.0.0.1:4001"
    echo "metrics=http://127.0.0.1:4002/metrics"
    echo "state=${STATE}"
    echo "origin_mbit=${ORIGIN_MBIT}"
    echo "bin=${bin}"
    echo "clk_tck=$(getconf CLK_TCK)"
  } >"${STATE}/testbed.env"
  log "up: scheduler + seed on ${NET}.2, ${nodes} nodes on ${NET}.10-$((9 + nodes)), origin link" \
    "$( ((ORIGIN_MBIT > 0)) && echo "${ORIGIN_MBIT} Mbit/s" || echo unshaped); logs in ${STATE}"
}

# Runs DragonflyFanOutIT (selected by $1, extra Maven arguments after it) against a fresh test bed
# of $2 nodes, and takes the test bed down again however it ends.
run_it() {
  local selector=$1 nodes=$2
  shift 2
  local mvn_pid=""
  trap 'down' EXIT
  trap '[[ -z "${mvn_pid:-}" ]] || kill "${mvn_pid}" 2>/dev/null; exit 130' INT TERM
  up "${nodes}"
  . hack/lib.sh
  # In the background, so that an interrupt is handled at once (the EXIT trap then takes the
  # test bed down, and with it every pull the test started in a node).
  ./mvnw -B -ntp -pl initcontainer -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test="${selector}" \
    -Dmodelprefetch.dragonfly.testbed="${STATE}/testbed.env" "$@" &
  mvn_pid=$!
  wait "${mvn_pid}"
}

case "${1:-}" in
  up) up "${2:-4}" && printf '%s\n' "${STATE}/testbed.env" ;;
  down) down ;;
  test) run_it DragonflyFanOutIT "${2:-4}" ;;
  bench) run_it 'DragonflyFanOutIT#fanOutBench' "${2:-4}" -Dmodelprefetch.dragonfly.bench=true ;;
  *) die "usage: $0 up [NODES] | down | test [NODES] | bench [NODES]" ;;
esac
