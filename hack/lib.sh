# Sourced by the other hack/ scripts: finds a JDK 25+ and sets JAVA_HOME; defines the cache root.
# The machine's default java is older; a Temurin JDK lives under /usr/lib/jvm.

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

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

JAVA_HOME=$(find_java_home)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MODELPREFETCH_CACHE="${MODELPREFETCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelprefetch}"
