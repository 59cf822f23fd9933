#!/usr/bin/env bash
# oci-tools.sh - build and cache the OCI registry server and client the oci:// tests use.
#
# The tests pull from a real registry (the CNCF distribution registry, cmd/registry) that a real
# client (the ORAS CLI) pushed model artifacts to. Both are compiled from Go modules through the
# Go module proxy (build machines reach package registries only) into
#
#   $MODELPREFETCH_CACHE/oci-tools/<registry-version>_<oras-version>/{registry,oras}
#
# A cold build takes a few minutes; afterwards the script only checks the cached binaries.
#
# Usage (the LAST line on stdout is the directory holding both binaries; logs go to stderr):
#   export MODELPREFETCH_OCI_TOOLS="$(bash hack/oci-tools.sh | tail -n 1)"
#
# Environment:
#   MODELPREFETCH_CACHE             cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch)
#   MODELPREFETCH_REGISTRY_VERSION  github.com/distribution/distribution/v3 version (default 3.1.2)
#   MODELPREFETCH_ORAS_VERSION      oras.land/oras version (default 1.3.6)
set -euo pipefail

REGISTRY_VERSION="${MODELPREFETCH_REGISTRY_VERSION:-3.1.2}"
ORAS_VERSION="${MODELPREFETCH_ORAS_VERSION:-1.3.6}"
REGISTRY_VERSION="${REGISTRY_VERSION#v}"
ORAS_VERSION="${ORAS_VERSION#v}"
CACHE_ROOT="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/modelprefetch}"
TOOLS_PARENT="${CACHE_ROOT}/oci-tools"
BIN_DIR="${TOOLS_PARENT}/${REGISTRY_VERSION}_${ORAS_VERSION}"

log() { printf '[oci-tools] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for v in "${REGISTRY_VERSION}" "${ORAS_VERSION}"; do
  [[ "${v}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "versions must look like 1.2.3, got '${v}'"
done

# True when dir $1 holds both binaries and they report the wanted versions.
tools_ok() {
  local dir="$1"
  [[ -x "${dir}/registry" && -x "${dir}/oras" ]] || return 1
  "${dir}/registry" --version 2>&1 | grep -qF "v${REGISTRY_VERSION}" || return 1
  "${dir}/oras" version 2>&1 | grep -qE "^Version: +${ORAS_VERSION}" || return 1
}

if tools_ok "${BIN_DIR}"; then
  printf '%s\n' "${BIN_DIR}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "the Go toolchain (go) is required to build the registry and oras"
mkdir -p "${TOOLS_PARENT}"
exec 9>"${TOOLS_PARENT}/.oci-tools.lock"
flock 9
if tools_ok "${BIN_DIR}"; then
  printf '%s\n' "${BIN_DIR}"
  exit 0
fi
# Leftovers of a killed build (no other build can be running while we hold the lock).
rm -rf -- "${TOOLS_PARENT}"/.build.* "${TOOLS_PARENT}"/.staging.*

log "building distribution registry v${REGISTRY_VERSION} and oras v${ORAS_VERSION} from Go modules ($(go version))"
start_seconds="${SECONDS}"
WORK_DIR="$(mktemp -d "${TOOLS_PARENT}/.build.XXXXXX")"
STAGE_DIR="$(mktemp -d "${TOOLS_PARENT}/.staging.XXXXXX")"
trap 'rm -rf -- "${WORK_DIR}" "${STAGE_DIR}"' EXIT

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0

# Builds package $3 of module $1@v$2 into $STAGE_DIR/$4, from a throwaway main module that
# requires it (so the module's own go.mod decides every dependency version).
build_from_module() {
  local module="$1" version="$2" package="$3" out="$4" ldflags="$5" dir
  dir="${WORK_DIR}/${out}"
  mkdir -p "${dir}"
  (
    cd "${dir}"
    printf 'module modelprefetch.local/%s\n\ngo 1.24\n\nrequire %s v%s\n' "${out}" "${module}" "${version}" >go.mod
    log "go build ${package}@v${version}"
    go build -trimpath -ldflags "-s -w ${ldflags}" -o "${STAGE_DIR}/${out}" "${package}"
  ) || die "building ${package}@v${version} failed"
}

build_from_module github.com/distribution/distribution/v3 "${REGISTRY_VERSION}" \
  github.com/distribution/distribution/v3/cmd/registry registry \
  "-X github.com/distribution/distribution/v3/version.version=v${REGISTRY_VERSION}"
build_from_module oras.land/oras "${ORAS_VERSION}" oras.land/oras/cmd/oras oras \
  "-X oras.land/oras/internal/version.Version=${ORAS_VERSION} -X oras.land/oras/internal/version.BuildMetadata="

tools_ok "${STAGE_DIR}" || die "freshly built binaries in ${STAGE_DIR} do not run or report wrong versions"
chmod 0755 "${STAGE_DIR}"
[[ -e "${BIN_DIR}" ]] && rm -rf -- "${BIN_DIR}"
mv -- "${STAGE_DIR}" "${BIN_DIR}"
log "done in $((SECONDS - start_seconds))s: $(du -sh "${BIN_DIR}" | cut -f1) in ${BIN_DIR}"
printf '%s\n' "${BIN_DIR}"
