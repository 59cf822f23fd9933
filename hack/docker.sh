#!/usr/bin/env bash
# A private Docker engine for the image tests (Testcontainers), inside a network namespace of its own.
#
#   bash hack/docker.sh up     installs Debian's docker.io with apt when dockerd is missing, creates
#                              the network namespace (a veth pair: 10.231.0.1 and .2 on this side,
#                              .6 inside, no default route, so containers reach nothing else), starts
#                              dockerd in it with its own data root, exec root, socket and pid file.
#                              The LAST stdout line is an env file to source (set -a): DOCKER_HOST,
#                              DOCKER_API_VERSION, MODELPREFETCH_DOCKER_HOST_ADDRESSES (the two
#                              addresses on this side, comma-separated, where tests bind servers the
#                              containers reach), MODELPREFETCH_DOCKER_CONTAINER_ADDRESS (the
#                              containers' address, for servers they run), and Testcontainers'
#                              TESTCONTAINERS_RYUK_DISABLED=true (no reaper image here; down removes
#                              all), TESTCONTAINERS_CHECKS_DISABLE=true (its start-up checks pull
#                              alpine) and TESTCONTAINERS_HOST_OVERRIDE (the containers' address: there is
#                              no "bridge" network to look it up in).
#   bash hack/docker.sh down   stops dockerd (its containers and their shims by PID), unmounts what
#                              it left, deletes the namespace, the veth and every directory it created.
#
# Containers run with `--network host`, which here is the namespace above. Needs root (CAP_NET_ADMIN,
# CAP_SYS_ADMIN). Environment: MODELPREFETCH_DOCKER_NAME (default mp-docker; one engine per name),
# MODELPREFETCH_DOCKER_SUBNET (default 10.231.0; a free /29 at .0).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh

name="${MODELPREFETCH_DOCKER_NAME:-mp-docker}"
subnet="${MODELPREFETCH_DOCKER_SUBNET:-10.231.0}"
[[ "$name" =~ ^[a-z0-9-]{1,20}$ ]] || { echo "MODELPREFETCH_DOCKER_NAME must be 1-20 of [a-z0-9-], got '$name'" >&2; exit 2; }
run="/run/modelprefetch/$name"        # exec root, socket, pid file, namespace file (tmpfs: gone at reboot)
data="$MODELPREFETCH_CACHE/docker/$name"  # data root (images, layers, containers)
host_if="mpd$(printf '%s' "$name" | sha256sum | cut -c1-8)"
log() { printf '[docker] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

install_docker() {
  command -v dockerd >/dev/null && return 0
  log "installing docker.io (apt)"
  [ "$(id -u)" = 0 ] || die "dockerd is missing and installing it needs root: apt-get install docker.io"
  export DEBIAN_FRONTEND=noninteractive
  # The package's service is never started here (policy-rc.d when present; no init system otherwise):
  # this script starts its own dockerd.
  apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends docker.io >&2 \
    || { apt-get -o DPkg::Lock::Timeout=900 update >&2 && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends docker.io >&2; }
  command -v dockerd >/dev/null || die "docker.io installed but dockerd is not on PATH"
}

# PIDs of processes started for this engine: dockerd, its containerd and the shims (their command
# lines name our exec root), and every descendant of those (the containers' processes).
engine_pids() {
  local pid roots=() all
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$pid" = "$$" ] && continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$run/"; then roots+=("$pid"); fi
  done
  [ ${#roots[@]} -gt 0 ] || return 0
  # pid ppid pairs; walk down from the roots.
  all=$(for f in /proc/[0-9]*/stat; do sed -E 's/^([0-9]+) \(.*\) [A-Za-z] ([0-9]+) .*/\1 \2/' "$f" 2>/dev/null; done)
  printf '%s\n' "$all" | awk -v roots="${roots[*]}" '
    {parent[$1] = $2}
    END {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1
      do { changed = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } } while (changed)
      for (p in keep) print p
    }'
}

down() {
  local pid i
  if [ -f "$run/dockerd.pid" ]; then
    pid=$(cat "$run/dockerd.pid")
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping dockerd (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && { log "dockerd did not stop in 15 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
    fi
  fi
  for pid in $(engine_pids); do
    log "killing leftover engine process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-120)"
    kill -KILL "$pid" 2>/dev/null || true
  done
  sleep 0.2
  # Mounts below the data root or exec root (overlays, shm, the namespace file), deepest first.
  awk -v a="$run" -v b="$data" '$5 == a || index($5, a "/") == 1 || $5 == b || index($5, b "/") == 1 {print $5}' /proc/self/mountinfo \
    | sort -r | while read -r mnt; do umount "$mnt" 2>/dev/null || umount -l "$mnt" || log "cannot unmount $mnt"; done
  ip link del "$host_if" 2>/dev/null || true
  rm -rf "$run" "$data"
  rmdir /run/modelprefetch 2>/dev/null || true
  # Verify: nothing of this engine may be left.
  local left=""
  [ -z "$(engine_pids)" ] || left+=" processes: $(engine_pids | tr '\n' ' ')"
  ! grep -qF -e " $run" -e " $data" /proc/self/mountinfo || left+=" mounts"
  ! ip link show "$host_if" >/dev/null 2>&1 || left+=" veth $host_if"
  [ ! -e "$run" ] || left+=" $run"
  [ -z "$left" ] || die "down left behind:$left"
  log "down: no process, mount, network namespace or veth of $name left"
}

up() {
  install_docker
  [ "$(id -u)" = 0 ] || die "starting dockerd in a network namespace needs root"
  if [ -f "$run/dockerd.pid" ] && kill -0 "$(cat "$run/dockerd.pid")" 2>/dev/null; then
    log "$name is already up"; echo "$run/env"; return 0
  fi
  down 2>/dev/null || true
  mkdir -p "$run" "$data"
  # A persistent network namespace bound to a file of ours (no /run/netns mount).
  touch "$run/netns"
  unshare --net="$run/netns" true
  nsenter --net="$run/netns" ip link set lo up
  echo '{}' >"$run/daemon.json"
  log "starting dockerd ($name)"
  nsenter --net="$run/netns" dockerd --config-file "$run/daemon.json" --data-root "$data" --exec-root "$run/exec" \
    --host "unix://$run/docker.sock" --pidfile "$run/dockerd.pid" --iptables=false --ip-masq=false --bridge=none \
    --userland-proxy=false --log-level=warn >"$run/dockerd.log" 2>&1 &
  local pid=$!
  # `netns $pid` moves the peer into the namespace of that process, so wait until nsenter has entered
  # ours: before that it is still in this one, which has an eth0 of its own ("File exists").
  local want
  want=$(stat -L -c %i "$run/netns")
  for _ in $(seq 1 100); do
    [ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" = "$want" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$run/dockerd.log" >&2; down; die "dockerd exited"; }
    sleep 0.05
  done
  [ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" = "$want" ] || { down; die "dockerd did not enter its network namespace in 5 s"; }
  ip link add "$host_if" type veth peer name eth0 netns "$pid" \
    || { down; die "cannot create the veth pair into the namespace"; }
  ip addr add "$subnet.1/29" dev "$host_if"
  ip addr add "$subnet.2/29" dev "$host_if"
  ip link set "$host_if" up
  nsenter --net="$run/netns" ip addr add "$subnet.6/29" dev eth0
  nsenter --net="$run/netns" ip link set eth0 up
  for _ in $(seq 1 300); do
    if [ -S "$run/docker.sock" ] && DOCKER_HOST="unix://$run/docker.sock" docker version >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$run/dockerd.log" >&2; down; die "dockerd exited"; }
    sleep 0.1
  done
  DOCKER_HOST="unix://$run/docker.sock" docker version >/dev/null 2>&1 || { cat "$run/dockerd.log" >&2; down; die "dockerd did not answer in 30 s"; }
  cat >"$run/env" <<EOF
DOCKER_HOST=unix://$run/docker.sock
DOCKER_API_VERSION=1.41
MODELPREFETCH_DOCKER_HOST_ADDRESSES=$subnet.1,$subnet.2
MODELPREFETCH_DOCKER_CONTAINER_ADDRESS=$subnet.6
TESTCONTAINERS_RYUK_DISABLED=true
TESTCONTAINERS_CHECKS_DISABLE=true
TESTCONTAINERS_HOST_OVERRIDE=$subnet.6
EOF
  log "up: dockerd pid $pid, DOCKER_HOST=unix://$run/docker.sock, containers reach $subnet.1 and $subnet.2"
  echo "$run/env"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: hack/docker.sh up|down" >&2; exit 2 ;;
esac
