#!/usr/bin/env bash
# The test command (README, .ci/run): provisions what the tests need, then runs every tier:
# unit tests (*Test), integration tests (*IT) against loopback origins, the real huggingface_hub
# client, S3Proxy, moto, MinIO, a real OCI registry with the ORAS client, a real kube-apiserver and a
# real Docker engine (our images in Testcontainers); the E2E tier (*E2E) with our images on a real
# single-node cluster built from package registries (hack/node.sh, stopped again at exit); then a
# short fuzzing run, the benchmarks in quick mode, the operator-at-scale harness, and the
# multi-node Dragonfly tier when its binaries are cached (else it says it did not run).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

MODELPREFETCH_PYTHON=$(bash hack/python-deps.sh | tail -n 1)
export MODELPREFETCH_PYTHON
# kube-apiserver, etcd and kubectl for the operator and e2e tests (built once from Go modules).
KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR
# MinIO for the S3 multipart verification tests (built once from Go modules; real S3 behaviour).
MODELPREFETCH_MINIO=$(bash hack/minio-binary.sh | tail -n 1)
export MODELPREFETCH_MINIO
# The OCI registry server and the ORAS client for the oci:// tests (built once from Go modules).
MODELPREFETCH_OCI_TOOLS=$(bash hack/oci-tools.sh | tail -n 1)
export MODELPREFETCH_OCI_TOOLS

# The images (built offline, cached) for the image tests and the E2E tier.
MODELPREFETCH_IMAGES=$(bash hack/images.sh | tail -n 1)
export MODELPREFETCH_IMAGES

# What this run starts is stopped at exit, also when a test fails or the run is interrupted (Ctrl-C,
# SIGTERM): the Maven build (by PID), the real node (only if started here) and the Docker engine.
stop_node=false
build_pid=
cleanup() {
  local status=$? rc=0
  if [ -n "$build_pid" ] && kill -0 "$build_pid" 2>/dev/null; then
    kill -TERM "$build_pid" 2>/dev/null || true
    wait "$build_pid" 2>/dev/null || true
  fi
  [ "$stop_node" = false ] || bash hack/node.sh down || rc=$?
  bash hack/docker.sh down || rc=$?
  if [ "$rc" != 0 ]; then
    echo "ERROR: cleanup failed (exit $rc): see the lines above; check ip netns list, mount, pgrep" >&2
    [ "$status" != 0 ] || exit "$rc"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Runs "$@" in the background and waits for it, so a signal to this script is handled at once.
interruptible() {
  "$@" &
  build_pid=$!
  local rc=0
  wait "$build_pid" || rc=$?
  build_pid=
  return "$rc"
}

# The image tests (*Image*IT, Testcontainers): a private Docker engine in a network namespace of its
# own (hack/docker.sh), removed at exit.
docker_env=$(bash hack/docker.sh up | tail -n 1)
set -a
. "$docker_env"
set +a
# The real-node E2E tier (*E2E): a single-node cluster from package registries (hack/node.sh; its
# kubelet, controller manager, scheduler, kube-proxy, local-path-provisioner and CoreDNS are built
# once from Go modules by hack/kube-binaries.sh node). A node that was already up (e.g. kept by
# hack/try-local.sh --keep) is used and left up; one started here is removed at exit.
if [ "$(id -u)" != 0 ]; then
  echo "NOT RUN: the real-node E2E tier (*E2E) needs root (network namespace, mounts, cgroups, containerd)" >&2
else
  bash hack/kube-binaries.sh node >/dev/null
  bash hack/node.sh status 2>/dev/null || stop_node=true
  MODELPREFETCH_NODE_ENV=$(bash hack/node.sh up "$MODELPREFETCH_IMAGES" | tail -n 1)
  export MODELPREFETCH_NODE_ENV
fi

interruptible ./mvnw -B -ntp verify "$@"
if [ "$stop_node" = true ]; then
  bash hack/node.sh down
  stop_node=false
fi

# Time-boxed fuzzing of every parser of remote or user input (two 30 s runs);
# `bash hack/fuzz.sh --each 600` is the longer run for people.
bash hack/fuzz.sh

# Keeps the benchmark harness from rotting: every peer that installs, tiny datasets, one run.
# Numbers are not judged here; a modelprefetch failure or a crashed harness fails the build.
bash bench/run.sh --quick
# The OCI bench row (modelprefetch vs oras pull through the same shaper), tiny, so it cannot rot either.
bash bench/oci.sh --layer-mib 8 --layers 2 --runs 1
# The operator-at-scale harness (operator JVM under the chart's memory limit, real API server), small.
bash bench/operator-scale.sh --artifacts 50 --namespaces 5 --settle 5

# The multi-node Dragonfly tier (network-namespace nodes, real dfdaemon peers and scheduler; about
# 1.5 minutes warm). Its binaries take longer to build cold (dfdaemon from crates.io: over an hour
# on 2 shared cores) than this run may spend, so it runs only when hack/dragonfly-binaries.sh has
# cached them; never silently.
if [ "$(id -u)" != 0 ]; then
  echo "NOT RUN: multi-node Dragonfly tier (needs root for network namespaces): bash hack/dragonfly-testbed.sh test" >&2
elif bash hack/dragonfly-binaries.sh --check >/dev/null 2>&1; then
  bash hack/dragonfly-testbed.sh test
else
  echo "NOT RUN: multi-node Dragonfly tier: dfdaemon/scheduler not cached; build them once with" \
    "bash hack/dragonfly-binaries.sh (over an hour cold), then run bash hack/dragonfly-testbed.sh test" >&2
fi
