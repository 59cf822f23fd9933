#!/usr/bin/env bash
# kube-binaries.sh - build and cache Kubernetes binaries from Go modules.
#
#   kube-binaries.sh [api]  kube-apiserver, etcd, kubectl for fabric8 kube-api-test (below)
#   kube-binaries.sh node   kubelet, kube-controller-manager, kube-scheduler, kube-proxy,
#                           rancher's local-path-provisioner and CoreDNS for hack/node.sh,
#                           into $MODELPREFETCH_CACHE/node-binaries/<version>-<os>-<arch>
#
# Why this exists: io.fabric8:kube-api-test normally downloads envtest binaries
# (kube-apiserver, etcd, kubectl) from GitHub. Our build machines can reach package
# registries only, so this script compiles them from Go modules through the Go module
# proxy and lays them out exactly where kube-api-test looks before downloading:
#
#   $KUBE_API_TEST_DIR/k8s/<major.minor.patch>-<os>-<arch>/{kube-apiserver,etcd,kubectl}
#
# A cold build takes a long time (tens of minutes on 2 cores); afterwards the script
# only checks the cached binaries and returns in well under a second.
#
# Usage (the LAST line on stdout is the KUBE_API_TEST_DIR to use; logs go to stderr):
#   export KUBE_API_TEST_DIR="$(bash hack/kube-binaries.sh)"
#
# Environment:
#   MODELPREFETCH_CACHE         cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch)
#   MODELPREFETCH_KUBE_VERSION  Kubernetes version, no leading "v" (default 1.35.8)
#   MODELPREFETCH_ETCD_VERSION  etcd version, no leading "v" (default 3.6.16)
#   (node) local-path-provisioner v0.0.30 and CoreDNS v1.15.0, pinned here.
set -euo pipefail
. "$(dirname "$0")/progress.sh"

MODE="${1:-api}"
[[ "${MODE}" == api || "${MODE}" == node ]] || { echo "usage: $0 [api|node]" >&2; exit 2; }
LOCAL_PATH_VERSION=0.0.30
COREDNS_VERSION=1.15.0

KUBE_VERSION="${MODELPREFETCH_KUBE_VERSION:-1.35.8}"
ETCD_VERSION="${MODELPREFETCH_ETCD_VERSION:-3.6.16}"
KUBE_VERSION="${KUBE_VERSION#v}"
ETCD_VERSION="${ETCD_VERSION#v}"
CACHE_ROOT="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/modelprefetch}"
KAT_DIR="${CACHE_ROOT}/kube-api-test"

log() { printf '[kube-binaries] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# kube-api-test compares directory versions with Integer.parseInt on every dot-separated
# part, so the directory name must be plain X.Y.Z (no "v", no pre-release suffix).
[[ "${KUBE_VERSION}" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] \
  || die "MODELPREFETCH_KUBE_VERSION must look like 1.35.8, got '${KUBE_VERSION}'"
KUBE_MAJOR="${BASH_REMATCH[1]}"
KUBE_MINOR="${BASH_REMATCH[2]}"
# Staging modules (k8s.io/api, k8s.io/client-go, ...) of Kubernetes 1.N.M are tagged v0.N.M.
STAGING_VERSION="0.${KUBE_MINOR}.${BASH_REMATCH[3]}"
[[ "${ETCD_VERSION}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || die "MODELPREFETCH_ETCD_VERSION must look like 3.6.16, got '${ETCD_VERSION}'"

# Same suffix kube-api-test derives from os.name / os.arch (see its OSInfo class).
case "$(uname -s)" in
  Linux) GOOS_NAME=linux ;;
  Darwin) GOOS_NAME=darwin ;;
  *) die "unsupported OS: $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) GOARCH_NAME=amd64 ;;
  aarch64 | arm64) GOARCH_NAME=arm64 ;;
  *) die "unsupported architecture: $(uname -m)" ;;
esac

if [[ "${MODE}" == api ]]; then
  BIN_PARENT="${KAT_DIR}/k8s"
  RESULT_DIR="${KAT_DIR}"
  KUBE_COMMANDS=(kube-apiserver kubectl)
else
  BIN_PARENT="${CACHE_ROOT}/node-binaries"
  KUBE_COMMANDS=(kubelet kube-controller-manager kube-scheduler kube-proxy)
fi
BIN_DIR="${BIN_PARENT}/${KUBE_VERSION}-${GOOS_NAME}-${GOARCH_NAME}"
[[ "${MODE}" == api ]] || RESULT_DIR="${BIN_DIR}"

# True when dir $1 holds every binary of MODE, they run, and they report the wanted versions.
binaries_ok() {
  local dir="$1" out cmd
  if [[ "${MODE}" == node ]]; then
    for cmd in "${KUBE_COMMANDS[@]}"; do
      [[ -x "${dir}/${cmd}" ]] || return 1
      out="$("${dir}/${cmd}" --version 2>&1)" || return 1
      grep -qxF "Kubernetes v${KUBE_VERSION}" <<<"${out}" || return 1
    done
    [[ -x "${dir}/local-path-provisioner" && -x "${dir}/coredns" ]] || return 1
    out="$("${dir}/coredns" -version 2>&1)" || return 1
    grep -qF "CoreDNS-${COREDNS_VERSION}" <<<"${out}" || return 1
    grep -qxF "local-path-provisioner v${LOCAL_PATH_VERSION}" "${dir}/VERSIONS" 2>/dev/null || return 1
    return 0
  fi
  [[ -x "${dir}/kube-apiserver" && -x "${dir}/kubectl" && -x "${dir}/etcd" ]] || return 1
  out="$("${dir}/kube-apiserver" --version 2>&1)" || return 1
  grep -qxF "Kubernetes v${KUBE_VERSION}" <<<"${out}" || return 1
  out="$("${dir}/kubectl" version --client 2>&1)" || return 1
  grep -qxF "Client Version: v${KUBE_VERSION}" <<<"${out}" || return 1
  out="$("${dir}/etcd" --version 2>&1)" || return 1
  grep -qxF "etcd Version: ${ETCD_VERSION}" <<<"${out}" || return 1
}

# Fast path: nothing to do.
if binaries_ok "${BIN_DIR}"; then
  printf '%s\n' "${RESULT_DIR}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "the Go toolchain (go) is required to build the binaries"
mkdir -p "${BIN_PARENT}" "${KAT_DIR}"

# Serialise concurrent builds (e.g. parallel Maven modules; both modes share most packages, so
# one build at a time uses the Go build cache best); re-check once we own the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${KAT_DIR}/.kube-binaries.lock"
  flock 9
  if binaries_ok "${BIN_DIR}"; then
    printf '%s\n' "${RESULT_DIR}"
    exit 0
  fi
  # Leftovers of a killed build (no other build can be running while we hold the lock).
  rm -rf -- "${CACHE_ROOT}"/.kube-build.* "${BIN_PARENT}"/.staging-* "${BIN_PARENT}"/.old.*
fi

if [[ "${MODE}" == api ]]; then
  log "building kube-apiserver/kubectl v${KUBE_VERSION} and etcd v${ETCD_VERSION} from Go modules ($(go version))"
else
  log "building ${KUBE_COMMANDS[*]} v${KUBE_VERSION}, local-path-provisioner v${LOCAL_PATH_VERSION} and CoreDNS v${COREDNS_VERSION} from Go modules ($(go version))"
fi
log "this is slow on a cold Go module/build cache; result goes to ${BIN_DIR}"
start_seconds="${SECONDS}"

# The throwaway go.mod files live in WORK_DIR; binaries are built into STAGE_DIR (same
# filesystem as BIN_DIR, name not ending in -<os>-<arch> so kube-api-test ignores it) and
# renamed into place only once complete, so an interrupted build never leaves a broken cache.
WORK_DIR="$(mktemp -d "${CACHE_ROOT}/.kube-build.XXXXXX")"
STAGE_DIR="$(mktemp -d "${BIN_PARENT}/.staging-${KUBE_VERSION}.XXXXXX")"
OLD_DIR=""
cleanup() { rm -rf -- "${WORK_DIR}" "${STAGE_DIR}" ${OLD_DIR:+"${OLD_DIR}"}; }
trap cleanup EXIT

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0

# Prints the path of module $1's go.mod (downloaded to the default module cache).
# Run from inside a stub module so no go.mod/go.work above the cache dir interferes.
module_gomod() {
  local json
  json="$(go mod download -json "$1")" || die "cannot download $1 from the Go module proxy"
  sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' <<<"${json}"
}

# --- Kubernetes commands (k8s.io/kubernetes consumed as a module) -------------------------
mkdir -p "${WORK_DIR}/k8s" "${WORK_DIR}/etcd"
cd "${WORK_DIR}/k8s"
printf 'module modelprefetch.local/kube-binaries\n' >go.mod
k8s_gomod="$(module_gomod "k8s.io/kubernetes@v${KUBE_VERSION}")"
[[ -f "${k8s_gomod}" ]] || die "no go.mod found for k8s.io/kubernetes@v${KUBE_VERSION}"
k8s_go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${k8s_gomod}")"
# k8s.io/kubernetes requires its staging modules as v0.0.0 and replaces them with
# ./staging/... paths; replace directives of dependencies are ignored, so pin each one.
mapfile -t staging_modules < <(sed -n \
  's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) v0\.0\.0\([[:space:]].*\)\{0,1\}$#\1#p' "${k8s_gomod}" | sort -u)
((${#staging_modules[@]} > 0)) || die "found no staging modules in ${k8s_gomod}"
{
  printf 'module modelprefetch.local/kube-binaries\n\ngo %s\n\n' "${k8s_go}"
  # Keep upstream's GODEBUG defaults (they only apply from the main module).
  grep '^godebug ' "${k8s_gomod}" || true
  printf '\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' "${KUBE_VERSION}"
  for m in "${staging_modules[@]}"; do
    printf '\t%s => %s v%s\n' "${m}" "${m}" "${STAGING_VERSION}"
  done
  printf ')\n'
} >go.mod

# Same version stamping as upstream hack/lib/version.sh, so `kubectl version` and the
# apiserver's /version (and its compatibility/emulation version) report v${KUBE_VERSION}.
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags+=" -X ${pkg}.gitVersion=v${KUBE_VERSION} -X ${pkg}.gitMajor=${KUBE_MAJOR}"
  ldflags+=" -X ${pkg}.gitMinor=${KUBE_MINOR} -X ${pkg}.gitTreeState=clean"
  ldflags+=" -X ${pkg}.buildDate=${build_date}"
done
log "go build k8s.io/kubernetes/cmd/{$(IFS=,; echo "${KUBE_COMMANDS[*]}")}@v${KUBE_VERSION}"
with_progress "[kube-binaries] go build ${KUBE_COMMANDS[*]} (cold: 30 to 55 min on 2 cores)" \
  go build -trimpath -ldflags "${ldflags}" -o "${STAGE_DIR}/" "${KUBE_COMMANDS[@]/#/k8s.io/kubernetes/cmd/}"

if [[ "${MODE}" == node ]]; then
  # Neither module has replace directives, so `go install module@version` builds them as released.
  for module in "github.com/rancher/local-path-provisioner@v${LOCAL_PATH_VERSION}" \
    "github.com/coredns/coredns@v${COREDNS_VERSION}"; do
    log "go install ${module}"
    GOFLAGS=-buildvcs=false GOBIN="${STAGE_DIR}" with_progress "[kube-binaries] go install ${module}" go install -trimpath -ldflags "-s -w" "${module}"
  done
  printf 'local-path-provisioner v%s\n' "${LOCAL_PATH_VERSION}" >"${STAGE_DIR}/VERSIONS"
fi

# --- etcd (go.etcd.io/etcd/server/v3 is itself the etcd main package) ------------------
if [[ "${MODE}" == api ]]; then
  cd "${WORK_DIR}/etcd"
  printf 'module modelprefetch.local/etcd-binary\n' >go.mod
  etcd_gomod="$(module_gomod "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}")"
  [[ -f "${etcd_gomod}" ]] || die "no go.mod found for go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
  etcd_go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${etcd_gomod}")"
  printf 'module modelprefetch.local/etcd-binary\n\ngo %s\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' \
    "${etcd_go}" "${ETCD_VERSION}" >go.mod
  log "go build go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
  with_progress "[kube-binaries] go build etcd" go build -trimpath -ldflags "-s -w" -o "${STAGE_DIR}/etcd" go.etcd.io/etcd/server/v3
fi

# --- verify and publish atomically --------------------------------------------------------
binaries_ok "${STAGE_DIR}" || die "freshly built binaries in ${STAGE_DIR} do not run or report wrong versions"
chmod 0755 "${STAGE_DIR}"
cd "${CACHE_ROOT}"
if [[ -e "${BIN_DIR}" ]]; then
  # A stale or broken directory (other versions, manual copy): move it aside first.
  OLD_DIR="$(mktemp -d "${BIN_PARENT}/.old.XXXXXX")"
  mv -- "${BIN_DIR}" "${OLD_DIR}/"
fi
mv -- "${STAGE_DIR}" "${BIN_DIR}"
log "done in $((SECONDS - start_seconds))s: $(du -sh "${BIN_DIR}" | cut -f1) in ${BIN_DIR}"
printf '%s\n' "${RESULT_DIR}"
