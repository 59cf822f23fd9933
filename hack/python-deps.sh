#!/usr/bin/env bash
# Creates (once, cached) a Python venv with hack/python-requirements.txt: the real huggingface_hub
# client (proves the Hub fixture is faithful), moto (a real S3 server for hostile listings),
# transformers (AutoConfig from an hf-cache layout) and bcrypt (htpasswd for the registry tests).
# Prints the venv's python path as the last stdout line.
set -euo pipefail
. "$(dirname "$0")/progress.sh"

REQUIREMENTS="$(cd "$(dirname "$0")" && pwd)/python-requirements.txt"
REQ_HASH="$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
CACHE_DIR="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch}"
# One venv per requirements hash: branches with different requirements never rebuild each other's.
VENV="$CACHE_DIR/venv-$REQ_HASH"
PY="$VENV/bin/python"
STAMP="$VENV/.requirements-$REQ_HASH"

if [[ -x "$PY" && -f "$STAMP" ]] && "$PY" -c "import huggingface_hub, moto, transformers, bcrypt" >/dev/null 2>&1; then
  echo "$PY"
  exit 0
fi

BASE_PY="${PYTHON:-$(command -v python3 || true)}"
if [[ -z "$BASE_PY" ]]; then
  echo "python-deps.sh: python3 not found" >&2
  exit 1
fi

mkdir -p "$CACHE_DIR"
# Build in a temporary directory and swap it in, so an interrupted run never leaves a half venv.
TMP_VENV="$(mktemp -d "$CACHE_DIR/venv.tmp.XXXXXX")"
trap 'rm -rf "$TMP_VENV"' EXIT
"$BASE_PY" -m venv "$TMP_VENV" >&2
with_progress "python-deps.sh: pip install -r $(basename "$REQUIREMENTS") into $VENV (huggingface_hub and the bench peers)" \
  "$TMP_VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS" >&2
touch "$TMP_VENV/.requirements-$REQ_HASH"
rm -rf "$VENV"
mv "$TMP_VENV" "$VENV"
trap - EXIT
# venv scripts hard-code their creation path; recreate them in place (pip itself is run via -m).
"$BASE_PY" -m venv --upgrade "$VENV" >&2
echo "$PY"
