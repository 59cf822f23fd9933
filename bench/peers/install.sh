#!/usr/bin/env bash
# Installs the peer tools once (cached, idempotent) and prints `export` lines for bench/run.sh:
#   - PyPI: huggingface_hub (hf), awscli v1 (s3transfer), matplotlib -> a bench venv
#   - Go modules: s5cmd, built from a pinned version
#   - Debian: aria2, rclone (apt-get; only when missing)
# A peer that fails to install is reported on stderr and left out of the run, never fatal.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch}"
S5CMD_VERSION=v2.3.0
. "$here/../../hack/progress.sh"

install_venv() {
  local req="$here/requirements.txt" venv="$cache/bench-venv"
  local stamp="$venv/.req-$(sha256sum "$req" | cut -c1-16)"
  if [[ ! -f "$stamp" ]]; then
    local tmp
    tmp=$(mktemp -d "$cache/bench-venv.tmp.XXXXXX")
    python3 -m venv "$tmp" >&2 && with_progress "install.sh: pip install the bench peers (hf, awscli, matplotlib)" \
      "$tmp/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2 \
      && touch "$tmp/.req-$(sha256sum "$req" | cut -c1-16)" && rm -rf "$venv" && mv "$tmp" "$venv" \
      && python3 -m venv --upgrade "$venv" >&2 || { echo "install.sh: bench venv failed" >&2; rm -rf "$tmp"; return; }
  fi
  # venv console scripts hard-code the interpreter of the temporary path; call them through python.
  echo "export BENCH_PY=$venv/bin/python"
  write_shim "$venv" hf "export BENCH_HF"
  write_shim "$venv" aws "export BENCH_AWS"
}

write_shim() {
  local venv=$1 name=$2 var=$3 shim="$1/shims/$2"
  mkdir -p "$venv/shims"
  if [[ $name == aws ]]; then
    printf '#!/bin/sh\nexec "%s" -c "import sys; from awscli.clidriver import main; sys.exit(main())" "$@"\n' "$venv/bin/python" >"$shim"
  else
    printf '#!/bin/sh\nexec "%s" -c "import sys; from huggingface_hub.cli.hf import main; sys.exit(main())" "$@"\n' "$venv/bin/python" >"$shim"
  fi
  chmod +x "$shim"
  echo "$var=$shim"
}

install_s5cmd() {
  local dir="$cache/bench-tools/s5cmd-$S5CMD_VERSION"
  if [[ ! -x "$dir/s5cmd" ]]; then
    command -v go >/dev/null || { echo "install.sh: no Go toolchain, s5cmd left out" >&2; return; }
    local mod
    mod=$(mktemp -d)
    # A throwaway module pins the version; `go install pkg@version` would also ask the proxy for the
    # module's version list (deprecation check), which this proxy refuses.
    printf 'module benchtools\n\ngo 1.24\n\nrequire github.com/peak/s5cmd/v2 %s\n' "$S5CMD_VERSION" >"$mod/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/peak/s5cmd/v2"\n' >"$mod/tools.go"
    (cd "$mod" && go mod tidy >&2 2>/dev/null && mkdir -p "$dir" && with_progress "install.sh: go install s5cmd $S5CMD_VERSION" env GOBIN="$dir" go install github.com/peak/s5cmd/v2 >&2) \
      || echo "install.sh: s5cmd build failed" >&2
    rm -rf "$mod"
  fi
  [[ -x "$dir/s5cmd" ]] && echo "export BENCH_S5CMD=$dir/s5cmd"
}

install_debian() {
  local missing=()
  command -v aria2c >/dev/null || missing+=(aria2)
  command -v rclone >/dev/null || missing+=(rclone)
  ((${#missing[@]} == 0)) && return
  command -v apt-get >/dev/null || { echo "install.sh: no apt-get; left out: ${missing[*]}" >&2; return; }
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo -n"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 2>/dev/null \
    || { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2; } \
    || echo "install.sh: apt-get install ${missing[*]} failed" >&2
}

mkdir -p "$cache"
install_debian
install_venv
install_s5cmd
