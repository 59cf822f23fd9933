# Sourced by hack/ scripts. with_progress MESSAGE COMMAND...: runs COMMAND and, on stderr, says what
# it is doing, then the elapsed time every 30 s and once it is done, so a long quiet step (pip, a Go
# build, a quiet Maven build) shows that it is alive. Returns the command's exit code.
with_progress() {
  local message=$1 start=$SECONDS pid rc=0 ticks=0
  shift
  printf '%s ...\n' "$message" >&2
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if ((ticks % 30 == 0)); then
      printf '  ... %s: %d s so far\n' "$message" "$((SECONDS - start))" >&2
    fi
  done
  wait "$pid" || rc=$?
  if ((rc == 0)); then
    printf '%s: done in %d s\n' "$message" "$((SECONDS - start))" >&2
  else
    printf '%s: failed (exit %d) after %d s\n' "$message" "$rc" "$((SECONDS - start))" >&2
  fi
  return "$rc"
}
