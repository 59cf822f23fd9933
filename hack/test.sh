#!/usr/bin/env bash
# The test command (README, .ci/run): provisions what the tests need, then runs every tier:
# unit tests (*Test), integration tests (*IT) against loopback origins, the real huggingface_hub
# client, S3Proxy and a real kube-apiserver; then the benchmark in quick mode; then the multi-node
# Dragonfly tier when its binaries are cached (a cold build of them alone takes longer than CI allows).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

MODELPREFETCH_PYTHON=$(bash hack/python-deps.sh | tail -n 1)
export MODELPREFETCH_PYTHON
# kube-apiserver, etcd and kubectl for the operator and e2e tests (built once from Go modules).
KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR

./mvnw -B -ntp verify "$@"

# Keeps the benchmark harness from rotting: every peer that installs, tiny datasets, one run.
# Numbers are not judged here; a modelprefetch failure or a crashed harness fails the build.
bash bench/run.sh --quick

# The multi-node Dragonfly tier (network-namespace nodes, real dfdaemon peers and scheduler). Its
# binaries take longer to build cold (dfdaemon from crates.io: 36 min on 2 idle cores) than this
# run may spend, so it runs only when hack/dragonfly-binaries.sh has cached them; never silently.
if [ "$(id -u)" != 0 ]; then
  echo "NOT RUN: multi-node Dragonfly tier (needs root for network namespaces): bash hack/dragonfly-testbed.sh test" >&2
elif bash hack/dragonfly-binaries.sh --check >/dev/null 2>&1; then
  bash hack/dragonfly-testbed.sh test
else
  echo "NOT RUN: multi-node Dragonfly tier: dfdaemon/scheduler not cached; build them once with" \
    "bash hack/dragonfly-binaries.sh (tens of minutes cold), then run bash hack/dragonfly-testbed.sh test" >&2
fi
