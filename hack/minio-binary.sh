#!/usr/bin/env bash
# minio-binary.sh - build and cache a MinIO server binary for the S3 verification tests.
#
# Why this exists: MinIO behaves like AWS S3 where our own fixtures cannot (multipart ETags
# `md5-of-part-md5s-N`, composite checksums with `-N` and `x-amz-checksum-type: COMPOSITE`,
# GetObjectAttributes with ObjectParts, HeadObject with partNumber). Build machines reach
# package registries only, so the server is compiled from the Go module proxy: a throwaway
# go.mod requires github.com/minio/minio at a pinned pseudo-version (MinIO publishes no
# module tags) and `go build github.com/minio/minio` produces the server.
#
#   $MODELPREFETCH_CACHE/minio/<version>/minio
#
# A cold build takes minutes on 2 cores (hundreds of modules); afterwards the script only
# checks the cached binary and returns in well under a second.
#
# Usage (the LAST line on stdout is the path of the binary; logs go to stderr):
#   export MODELPREFETCH_MINIO="$(bash hack/minio-binary.sh | tail -n 1)"
#
# Environment:
#   MODELPREFETCH_CACHE          cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch)
#   MODELPREFETCH_MINIO_VERSION  module version of github.com/minio/minio
#                                (default the proxy's latest when this was written, see below;
#                                list others with `go list -m -versions` / `go mod download -json
#                                github.com/minio/minio@latest`)
set -euo pipefail

MINIO_VERSION="${MODELPREFETCH_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
CACHE_ROOT="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/modelprefetch}"
MINIO_ROOT="${CACHE_ROOT}/minio"

log() { printf '[minio-binary] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "${MINIO_VERSION}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
  || die "MODELPREFETCH_MINIO_VERSION must be a Go module version like v0.0.0-20260212201848-7aac2a2c5b7c, got '${MINIO_VERSION}'"

BIN_DIR="${MINIO_ROOT}/${MINIO_VERSION}"
BIN="${BIN_DIR}/minio"

# True when $1 is an executable MinIO server that starts far enough to print its version.
binary_ok() {
  [[ -x "$1" ]] || return 1
  "$1" --version 2>&1 | grep -q '^minio version ' || return 1
}

if binary_ok "${BIN}"; then
  printf '%s\n' "${BIN}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "the Go toolchain (go) is required to build MinIO"
mkdir -p "${MINIO_ROOT}"

# Serialise concurrent builds; re-check once we own the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${MINIO_ROOT}/.minio-binary.lock"
  flock 9
  if binary_ok "${BIN}"; then
    printf '%s\n' "${BIN}"
    exit 0
  fi
  # Leftovers of a killed build (no other build can be running while we hold the lock).
  rm -rf -- "${MINIO_ROOT}"/.build.* "${MINIO_ROOT}"/.staging.* "${MINIO_ROOT}"/.old.*
fi

log "building github.com/minio/minio@${MINIO_VERSION} from Go modules ($(go version))"
log "this is slow on a cold Go module/build cache; result goes to ${BIN}"
start_seconds="${SECONDS}"

# go.mod lives in WORK_DIR; the binary is built into STAGE_DIR (same filesystem as BIN_DIR)
# and renamed into place only once it runs, so an interrupted build never leaves a broken cache.
WORK_DIR="$(mktemp -d "${MINIO_ROOT}/.build.XXXXXX")"
STAGE_DIR="$(mktemp -d "${MINIO_ROOT}/.staging.XXXXXX")"
OLD_DIR=""
cleanup() { rm -rf -- "${WORK_DIR}" "${STAGE_DIR}" ${OLD_DIR:+"${OLD_DIR}"}; }
trap cleanup EXIT

export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0

cd "${WORK_DIR}"
printf 'module modelprefetch.local/minio-binary\n' >go.mod
json="$(go mod download -json "github.com/minio/minio@${MINIO_VERSION}")" \
  || die "cannot download github.com/minio/minio@${MINIO_VERSION} from the Go module proxy"
minio_gomod="$(sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' <<<"${json}")"
[[ -f "${minio_gomod}" ]] || die "no go.mod found for github.com/minio/minio@${MINIO_VERSION}"
minio_go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${minio_gomod}")"
# MinIO's own replace directives would be ignored as a dependency; the pinned version has none
# (checked here so a future version that needs them fails loudly instead of building wrongly).
if grep -q '^replace' "${minio_gomod}"; then
  die "github.com/minio/minio@${MINIO_VERSION} has replace directives; this script does not carry them over"
fi
printf 'module modelprefetch.local/minio-binary\n\ngo %s\n\nrequire github.com/minio/minio %s\n' \
  "${minio_go}" "${MINIO_VERSION}" >go.mod

log "go build github.com/minio/minio@${MINIO_VERSION}"
go build -trimpath -ldflags "-s -w" \
  -o "${STAGE_DIR}/minio" github.com/minio/minio

binary_ok "${STAGE_DIR}/minio" || die "freshly built ${STAGE_DIR}/minio does not run"
chmod 0755 "${STAGE_DIR}"
if [[ -e "${BIN_DIR}" ]]; then
  OLD_DIR="$(mktemp -d "${MINIO_ROOT}/.old.XXXXXX")"
  mv -- "${BIN_DIR}" "${OLD_DIR}/"
fi
mv -- "${STAGE_DIR}" "${BIN_DIR}"
log "done in $((SECONDS - start_seconds))s: $(du -sh "${BIN}" | cut -f1) in ${BIN}"
printf '%s\n' "${BIN}"
