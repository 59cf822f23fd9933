# Sourced by the other hack/ scripts: finds a JDK 25+ and sets JAVA_HOME; defines the cache root.
# The machine's default java is older; a Temurin JDK lives under /usr/lib/jvm.

# The JDK's release file when it has one (no JVM start: the CLI launcher sources this on every run).
java_major() {
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
  fi
}

find_java_home() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    candidate=${candidate%/}
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 25 ]; then
      echo "$candidate"; return 0
    fi
  done
  echo "no JDK 25 or newer found under /usr/lib/jvm (install Temurin 25 or set JAVA_HOME)" >&2
  return 1
}

. "$(dirname "${BASH_SOURCE[0]}")/progress.sh"

JAVA_HOME=$(find_java_home)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MODELPREFETCH_CACHE="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch}"

# Starts the Hub protocol fixture serving the generated demo model (demo/tiny-model) in the
# background. Arguments: the fixtures classpath file, a work directory, then optionally a command
# that runs java (e.g. `bash hack/node.sh exec`, for the node's network namespace). HUB_HOST: the
# address to serve on (default loopback). Sets hub_pid and hub_endpoint; the caller kills $hub_pid.
start_demo_hub() {
  local classpath_file=$1 work=$2
  shift 2
  "$@" "$JAVA_HOME/bin/java" -cp "fixtures/target/classes:$(cat "$classpath_file")" \
    io.modelprefetch.fixtures.hub.HubFixtureMain --demo ${HUB_HOST:+--host "$HUB_HOST" --cdn-host "$HUB_HOST"} \
    >"$work/hub.json" 2>"$work/hub.log" &
  hub_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$work/hub.json" ] && break
    kill -0 "$hub_pid" 2>/dev/null || { cat "$work/hub.log" >&2; return 1; }
    sleep 0.1
  done
  hub_endpoint=$(sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p' "$work/hub.json")
  [ -n "$hub_endpoint" ] || { echo "the demo Hub did not start" >&2; cat "$work/hub.log" >&2; return 1; }
}
