#!/usr/bin/env bash
# The test command (README, .ci/run): provisions what the tests need, then runs every tier:
# unit tests (*Test), integration tests (*IT) against loopback origins, the real huggingface_hub
# client, S3Proxy, a real OCI registry with the ORAS client and a real kube-apiserver; then the benchmark in quick mode.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

MODELPREFETCH_PYTHON=$(bash hack/python-deps.sh | tail -n 1)
export MODELPREFETCH_PYTHON
# kube-apiserver, etcd and kubectl for the operator and e2e tests (built once from Go modules).
KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR
# The OCI registry server and the ORAS client for the oci:// tests (built once from Go modules).
MODELPREFETCH_OCI_TOOLS=$(bash hack/oci-tools.sh | tail -n 1)
export MODELPREFETCH_OCI_TOOLS

./mvnw -B -ntp verify "$@"

# Keeps the benchmark harness from rotting: every peer that installs, tiny datasets, one run.
# Numbers are not judged here; a modelprefetch failure or a crashed harness fails the build.
bash bench/run.sh --quick
# The OCI bench row (modelprefetch vs oras pull through the same shaper), tiny, so it cannot rot either.
bash bench/oci.sh --layer-mib 8 --layers 2 --runs 1
