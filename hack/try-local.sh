#!/usr/bin/env bash
# First run without a cluster: a real kube-apiserver + etcd (kube-api-test, binaries from
# hack/kube-binaries.sh), the ModelArtifact CRD, the packaged operator, a local Hugging Face Hub
# (the protocol fixture serving demo/tiny-model) and a ModelArtifact for it. There is no node:
# a clearly labelled local stand-in for the kubelet runs the download Job's init container as a
# local process. Progress is shown by the real kubectl (get ma -w) until the artifact is Ready.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)
export KUBE_API_TEST_DIR

echo "==> building (operator, downloader, test support)" >&2
./mvnw -q -B -ntp -pl e2e -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/try-local-classpath.txt

work=$(mktemp -d)
hub_pid=
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_demo_hub fixtures/target/try-local-classpath.txt "$work"
endpoint=$hub_endpoint
echo "==> local Hub (protocol fixture) serving demo/tiny-model at $endpoint" >&2

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dmodelprefetch.jar="$PWD/initcontainer/target/modelprefetch.jar" \
  -Doperator.jar="$PWD/operator/target/modelprefetch-operator.jar" \
  -cp "e2e/target/test-classes:$(cat e2e/target/try-local-classpath.txt)" \
  io.modelprefetch.e2e.TryLocal "$endpoint" "$work"
