#!/usr/bin/env bash
# dragonfly-binaries.sh - build and cache Dragonfly's peer client (dfdaemon, dfget) and its
# scheduler for the multi-node test bed (issue 13).
#
# Our build machines reach package registries only, so the binaries are compiled from source:
#   dfdaemon, dfget  crates.io dragonfly-client (Rust; needs Debian protobuf-compiler, libprotobuf-dev,
#                    libclang-dev: installed here when missing)
#   scheduler        Go module d7y.io/dragonfly/v2 (built from a throwaway go.mod)
# and published atomically to $MODELPREFETCH_CACHE/dragonfly/<client>-<scheduler>/bin.
#
# A cold build is long: 78.7 CPU-minutes measured clean (about 40 min on 2 idle cores; rocksdb dominates).
# The cargo target directory lives in the cache, so an interrupted build resumes where it stopped.
# With binaries cached the script only checks them and returns in well under a second.
#
# Usage (the LAST line on stdout is the bin directory; logs go to stderr):
#   DRAGONFLY_BIN="$(bash hack/dragonfly-binaries.sh)"
#   bash hack/dragonfly-binaries.sh --check   # prints the bin dir if cached, else exits 3 (no build)
#
# Environment:
#   MODELPREFETCH_CACHE                cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch)
#   MODELPREFETCH_DRAGONFLY_CLIENT     dragonfly-client crate version (default 1.5.10)
#   MODELPREFETCH_DRAGONFLY_SCHEDULER  d7y.io/dragonfly/v2 version, no leading "v" (default 2.5.1)
set -euo pipefail

CLIENT_VERSION="${MODELPREFETCH_DRAGONFLY_CLIENT:-1.5.10}"
SCHEDULER_VERSION="${MODELPREFETCH_DRAGONFLY_SCHEDULER:-2.5.1}"
SCHEDULER_VERSION="${SCHEDULER_VERSION#v}"
CACHE_ROOT="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/modelprefetch}"
DF_ROOT="${CACHE_ROOT}/dragonfly"
BIN_DIR="${DF_ROOT}/client-${CLIENT_VERSION}-scheduler-${SCHEDULER_VERSION}/bin"

log() { printf '[dragonfly-binaries] %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "${CLIENT_VERSION}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || die "MODELPREFETCH_DRAGONFLY_CLIENT must look like 1.5.10, got '${CLIENT_VERSION}'"
[[ "${SCHEDULER_VERSION}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || die "MODELPREFETCH_DRAGONFLY_SCHEDULER must look like 2.5.1, got '${SCHEDULER_VERSION}'"

# True when dir $1 holds the three binaries, they run, and they report the wanted versions.
binaries_ok() {
  local dir="$1" out
  [[ -x "${dir}/dfdaemon" && -x "${dir}/dfget" && -x "${dir}/scheduler" ]] || return 1
  out="$("${dir}/dfdaemon" --version 2>&1)" || return 1
  grep -qF "${CLIENT_VERSION}" <<<"${out}" || return 1
  out="$("${dir}/dfget" --version 2>&1)" || return 1
  grep -qF "${CLIENT_VERSION}" <<<"${out}" || return 1
  [[ "$(cat "${dir}/scheduler.version" 2>/dev/null)" == "${SCHEDULER_VERSION}" ]] || return 1
  "${dir}/scheduler" version >/dev/null 2>&1 || return 1
}

if binaries_ok "${BIN_DIR}"; then
  printf '%s\n' "${BIN_DIR}"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  log "not cached: ${BIN_DIR} (build with: bash hack/dragonfly-binaries.sh)"
  exit 3
fi

command -v cargo >/dev/null 2>&1 || die "the Rust toolchain (cargo) is required to build dfdaemon"
command -v go >/dev/null 2>&1 || die "the Go toolchain (go) is required to build the scheduler"
mkdir -p "${DF_ROOT}"

# Serialise concurrent builds; re-check once we own the lock.
exec 9>"${DF_ROOT}/.lock"
flock 9
if binaries_ok "${BIN_DIR}"; then
  printf '%s\n' "${BIN_DIR}"
  exit 0
fi
rm -rf -- "${DF_ROOT}"/.staging-* "${DF_ROOT}"/.go-build-* "${DF_ROOT}"/.old.*

# --- Debian build dependencies of dragonfly-client (prost-build needs protoc and the well-known
# types it imports, google/protobuf/*.proto, which Debian ships in libprotobuf-dev, not with protoc;
# bindgen needs libclang)
need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
[[ -f /usr/include/google/protobuf/duration.proto ]] || need_apt+=(libprotobuf-dev)
# bindgen (librocksdb-sys) loads libclang.so itself, not libclang-cpp: only libclang-dev ships it.
compgen -G '/usr/lib/llvm-*/lib/libclang.so' >/dev/null || compgen -G '/usr/lib/*/libclang.so' >/dev/null \
  || need_apt+=(libclang-dev)
if ((${#need_apt[@]} > 0)); then
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages ${need_apt[*]}; run: sudo apt-get install -y ${need_apt[*]}"
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

start_seconds="${SECONDS}"
STAGE_DIR="$(mktemp -d "${DF_ROOT}/.staging-XXXXXX")"
GO_WORK="$(mktemp -d "${DF_ROOT}/.go-build-XXXXXX")"
OLD_DIR=""
cleanup() { rm -rf -- "${STAGE_DIR}" "${GO_WORK}" ${OLD_DIR:+"${OLD_DIR}"}; }
trap cleanup EXIT

# --- scheduler (Go) in the background while cargo builds the client ----------------------------
build_scheduler() {
  cd "${GO_WORK}"
  export GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=0
  printf 'module modelprefetch.local/dragonfly-scheduler\n' >go.mod
  local json gomod moddir go_line
  json="$(go mod download -json "d7y.io/dragonfly/v2@v${SCHEDULER_VERSION}")" || return 1
  gomod="$(sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' <<<"${json}")"
  moddir="$(sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p' <<<"${json}")"
  [[ -f "${gomod}" && -f "${moddir}/go.sum" ]] \
    || { echo "no go.mod/go.sum for d7y.io/dragonfly/v2@v${SCHEDULER_VERSION}" >&2; return 1; }
  go_line="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${gomod}")"
  # Upstream's go.sum pins every dependency's hash: some (github.com/dragonflyoss/machinery)
  # are missing from the public checksum database, and this keeps them verified all the same.
  cp -- "${moddir}/go.sum" go.sum
  {
    printf 'module modelprefetch.local/dragonfly-scheduler\n\ngo %s\n\n' "${go_line}"
    printf 'require d7y.io/dragonfly/v2 v%s\n' "${SCHEDULER_VERSION}"
    # Replace directives of a dependency are ignored; carry upstream's over.
    awk '/^replace \($/{inb=1; print; next} inb&&/^\)$/{inb=0; print; next} inb{print; next} /^replace /{print}' "${gomod}"
  } >go.mod
  go build -trimpath -ldflags "-s -w" -o "${STAGE_DIR}/scheduler" d7y.io/dragonfly/v2/cmd/scheduler
  printf '%s\n' "${SCHEDULER_VERSION}" >"${STAGE_DIR}/scheduler.version"
}
log "go build d7y.io/dragonfly/v2/cmd/scheduler@v${SCHEDULER_VERSION} ($(go version)) in the background"
( build_scheduler && log "scheduler built after $((SECONDS - start_seconds))s" ) >&2 &
scheduler_pid=$!

# --- dfdaemon + dfget (Rust). Target dir in the cache: an interrupted build resumes. ---------
export CARGO_TARGET_DIR="${DF_ROOT}/cargo-target-${CLIENT_VERSION}"
log "cargo install --locked dragonfly-client@${CLIENT_VERSION} (target dir ${CARGO_TARGET_DIR}; $(cargo --version))"
cargo_start="${SECONDS}"
cargo install --locked "dragonfly-client@${CLIENT_VERSION}" --bin dfdaemon --bin dfget \
  --root "${STAGE_DIR}/cargo" --no-track >&2 || { kill "${scheduler_pid}" 2>/dev/null; die "cargo install dragonfly-client@${CLIENT_VERSION} failed"; }
mv -- "${STAGE_DIR}/cargo/bin/dfdaemon" "${STAGE_DIR}/cargo/bin/dfget" "${STAGE_DIR}/"
rm -rf -- "${STAGE_DIR}/cargo"
log "dfdaemon/dfget built in $((SECONDS - cargo_start))s"
wait "${scheduler_pid}" || die "scheduler build failed (d7y.io/dragonfly/v2@v${SCHEDULER_VERSION})"

# --- verify and publish atomically ----------------------------------------------------------
binaries_ok "${STAGE_DIR}" || die "freshly built binaries in ${STAGE_DIR} do not run or report wrong versions"
chmod 0755 "${STAGE_DIR}"
mkdir -p "$(dirname "${BIN_DIR}")"
if [[ -e "${BIN_DIR}" ]]; then
  OLD_DIR="$(mktemp -d "${DF_ROOT}/.old.XXXXXX")"
  mv -- "${BIN_DIR}" "${OLD_DIR}/"
fi
mv -- "${STAGE_DIR}" "${BIN_DIR}"
# The intermediate artefacts are large; keep them only until the binaries are published.
rm -rf -- "${CARGO_TARGET_DIR}"
log "done in $((SECONDS - start_seconds))s: $(du -sh "${BIN_DIR}" | cut -f1) in ${BIN_DIR}"
printf '%s\n' "${BIN_DIR}"
