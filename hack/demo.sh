#!/usr/bin/env bash
# README command 1: builds modelprefetch, starts a built-in local Hugging Face Hub (a protocol
# fixture serving a small generated model, its weights behind a redirect to a second "CDN" host),
# pulls hf://demo/tiny-model into ./models/tiny-model, then verifies it.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

with_progress "building the CLI and the Hub fixture with Maven (a first run downloads the dependencies: minutes)" \
  ./mvnw -q -B -ntp -pl fixtures,initcontainer -am install -DskipTests
./mvnw -q -B -ntp -pl fixtures dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

work=$(mktemp -d)
hub_pid=
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_demo_hub fixtures/target/classpath.txt "$work"
endpoint=$hub_endpoint
echo "local Hub at $endpoint" >&2

HF_ENDPOINT="$endpoint" hack/modelprefetch pull hf://demo/tiny-model --dest models/tiny-model --progress tty
hack/modelprefetch verify --dest models/tiny-model
ls -l models/tiny-model
