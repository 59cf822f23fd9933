#!/usr/bin/env bash
# First run on a real cluster: a single Kubernetes node built from package registries
# (hack/node.sh), our images built offline (hack/images.sh), the chart installed by Helm with them,
# a local Hugging Face Hub (the protocol fixture serving demo/tiny-model) on the node's address, and
# a ModelArtifact for it. Shows `kubectl get ma -w` until Ready, then the download pod's logs.
#
#   bash hack/try-local.sh          everything is removed at the end
#   bash hack/try-local.sh --keep   node, release, artifact and Hub stay up; prints the kubeconfig
#                                   (stop it all with: bash hack/node.sh down)
# Needs root (network namespace, containerd) and apt for the node's Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

keep=
case "${1:-}" in
  --keep) keep=keep ;;
  "") ;;
  *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

echo "==> building the images (hack/images.sh, cached)" >&2
images=$(bash hack/images.sh | tail -n 1)
echo "==> starting the node (hack/node.sh up)" >&2
node_env=$(bash hack/node.sh up "$images" | tail -n 1)
export MODELPREFETCH_NODE_ENV=$node_env
# shellcheck disable=SC1090
. "$node_env"

echo "==> building the test support (e2e, fixtures)" >&2
./mvnw -q -B -ntp -pl e2e -am test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/try-local-classpath.txt

work=$(mktemp -d)
hub_pid=
cleanup() {
  if [ -z "$keep" ]; then
    [ -z "$hub_pid" ] || kill "$hub_pid" 2>/dev/null || true
    bash hack/node.sh down
  fi
  rm -rf "$work"
}
trap cleanup EXIT

HUB_HOST=$NODE_IP start_demo_hub fixtures/target/try-local-classpath.txt "$work" bash hack/node.sh exec
echo "==> local Hub (protocol fixture) serving demo/tiny-model at $hub_endpoint" >&2

MODELPREFETCH_JAVA=$JAVA_HOME/bin/java hack/node/bin/java --enable-native-access=ALL-UNNAMED \
  -Dmodelprefetch.chart="$PWD/charts/modelprefetch" \
  -cp "e2e/target/test-classes:$(cat e2e/target/try-local-classpath.txt)" \
  io.modelprefetch.e2e.TryLocal "$hub_endpoint" $keep

if [ -n "$keep" ]; then
  cat <<EOM
==> kept running. From this machine:
      export KUBECONFIG=$HOST_KUBECONFIG   # the API server through 127.0.0.1 (a forwarder into the node's netns)
      $KUBECTL get ma -A -w
      $KUBECTL logs -n demo job/\$($KUBECTL get jobs -n demo -o name | head -n 1 | cut -d/ -f2) -c pull
    Inside the node's network namespace (the Hub at $hub_endpoint is reachable there):
      bash hack/node.sh kubectl get ma -A
    Stop everything: bash hack/node.sh down
EOM
fi
