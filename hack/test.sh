#!/usr/bin/env bash
# The test command (README, .ci/run): provisions what the tests need, then runs every tier:
# unit tests (*Test), integration tests (*IT) against loopback origins, the real huggingface_hub
# client, S3Proxy and a real kube-apiserver; then a short fuzzing run and the benchmark in quick mode.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

MODELPREFETCH_PYTHON=$(bash hack/python-deps.sh | tail -n 1)
export MODELPREFETCH_PYTHON
# kube-apiserver, etcd and kubectl for the operator and e2e tests (built once from Go modules).
KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR

./mvnw -B -ntp verify "$@"

# Time-boxed fuzzing of every parser of remote or user input (two 30 s runs);
# `bash hack/fuzz.sh --each 600` is the longer run for people.
bash hack/fuzz.sh

# Keeps the benchmark harness from rotting: every peer that installs, tiny datasets, one run.
# Numbers are not judged here; a modelprefetch failure or a crashed harness fails the build.
bash bench/run.sh --quick
