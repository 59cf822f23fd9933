#!/usr/bin/env bash
# node.sh - a real single-node Kubernetes cluster from package registries, for the E2E tier and
# hack/try-local.sh. Facts behind the flags: ../shared/NODE.md.
#
#   hack/node.sh up [IMAGE_DIR...]   start it (idempotent); import the docker-archive tars listed
#                                    in each IMAGE_DIR/images.txt ("FILE TAG" lines, hack/images.sh)
#   hack/node.sh load IMAGE_DIR...   import more images into the running node
#   hack/node.sh status              exit 0 when the API server is ready and the node is Ready
#   hack/node.sh down                stop every process (by PID), remove mounts, netns and state
#   hack/node.sh kubectl ARGS...     kubectl against the node (from inside its network namespace)
#   hack/node.sh exec CMD ARGS...    any command inside the node's network namespace (ended by down)
#
# `up` prints, as its LAST stdout line, the node's env file (KUBECONFIG, NODE_IP, NETNS, ...);
# logs go to stderr and to $STATE/logs. A failed or interrupted `up` runs `down` itself.
#
# Parts: kube-apiserver, etcd, kubectl, kubelet, kube-controller-manager, kube-scheduler,
# kube-proxy, local-path-provisioner and CoreDNS from Go modules (hack/kube-binaries.sh, cached);
# containerd, runc, CNI plugins, iptables, conntrack, socat and busybox-static from Debian (apt).
#
# Isolation: every process runs inside a network namespace created here (only addresses in it
# are used) and a private mount namespace pinned under $STATE (container, volume and CNI netns
# mounts never reach the host's table), and is tracked in the pids cgroup /$NAME, where the
# kubelet also puts every pod (cgroupRoot). `down` kills exactly the PIDs in that cgroup tree.
#
# Environment:
#   MODELPREFETCH_NODE_STATE     state directory (default /var/tmp/modelprefetch-node)
#   MODELPREFETCH_NODE_API_PORT  host loopback port forwarded to the API server (default 16443)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_ROOT=$(pwd)

NAME=modelprefetch-node
STATE="${MODELPREFETCH_NODE_STATE:-/var/tmp/modelprefetch-node}"
NETNS="$NAME"
NETNS_PATH="/run/netns/$NETNS"
NODE_IP=10.77.0.2
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
HOST_API_PORT="${MODELPREFETCH_NODE_API_PORT:-16443}"
HELPER_IMAGE=modelprefetch/node-helper:busybox
SANDBOX_IMAGE=modelprefetch/pause:dev
CGROUP_ROOT=/sys/fs/cgroup
APT_PACKAGES=(containerd runc containernetworking-plugins iptables conntrack socat busybox-static openssl)

log() { printf '[node] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# down: everything `up` created, whatever state it got to.

# PIDs of every process in our pids cgroup tree (daemons, shims, pods).
# The PIDs in our pids cgroup and below it. Pod cgroups vanish while processes exit (find or cat
# then fail on a directory just removed): that is not an error, and must not end "down" under set -e.
tracked_pids() {
  [ -d "$CGROUP_ROOT/pids/$NAME" ] || return 0
  { find "$CGROUP_ROOT/pids/$NAME" -name cgroup.procs -exec cat {} + 2>/dev/null || true; } | sort -un
}

kill_tracked() {
  local pids i
  pids=$(tracked_pids)
  [ -n "$pids" ] || return 0
  log "stopping $(wc -w <<<"$pids") processes"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for i in $(seq 1 50); do
    pids=$(tracked_pids)
    [ -n "$pids" ] || return 0
    sleep 0.2
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for i in $(seq 1 50); do
    [ -n "$(tracked_pids)" ] || return 0
    sleep 0.2
  done
  log "WARNING: processes still in cgroup pids:/$NAME: $(tracked_pids | tr '\n' ' ')"
}

# Our cgroup directories in every v1 hierarchy, deepest first.
remove_cgroups() {
  local hierarchy
  for hierarchy in "$CGROUP_ROOT"/*/; do
    [ -d "$hierarchy$NAME" ] || continue
    find "$hierarchy$NAME" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ ! -d "$hierarchy$NAME" ] || log "WARNING: could not remove ${hierarchy}$NAME"
  done
}

# Unmounts $1 if it is a mount point. Right after the processes are gone the kernel may still hold
# it for a moment (EBUSY): retry for up to 5 s, then detach it lazily so nothing stays mounted.
unmount() {
  local i
  mountpoint -q "$1" 2>/dev/null || return 0
  for i in $(seq 1 25); do
    umount "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  log "WARNING: $1 still busy after 5 s; detaching it lazily"
  umount -l "$1"
}

down() {
  kill_tracked
  unmount "$STATE/ns/mnt"
  unmount "$STATE/ns"
  remove_cgroups
  if [ -e "$NETNS_PATH" ]; then
    ip netns delete "$NETNS" 2>/dev/null || { sleep 1; ip netns delete "$NETNS"; }
  fi
  # Anything still mounted under the state directory (e.g. from a crashed older layout).
  if [ -d "$STATE" ]; then
    awk -v s="$STATE" '$5 == s || index($5, s "/") == 1 { print $5 }' /proc/self/mountinfo \
      | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf -- "$STATE"
  fi
  log "down: no process, mount, cgroup or netns of $NAME left"
}

# ---------------------------------------------------------------------------------------------
# helpers for up

kubectl_node() { nsenter --net="$NETNS_PATH" -- "$KUBECTL" --kubeconfig "$STATE/pki/admin.kubeconfig" "$@"; }

# Runs "$@" as daemon NAME in the pids cgroup, in its own session, and (unless NAME is
# api-forward, which listens on the host's loopback) in the network and mount namespaces.
start_daemon() {
  local name=$1
  shift
  mkdir -p "$CGROUP_ROOT/pids/$NAME/daemons"
  (
    echo "$BASHPID" >"$CGROUP_ROOT/pids/$NAME/daemons/cgroup.procs"
    [ "$name" = api-forward ] || set -- nsenter --net="$NETNS_PATH" --mount="$STATE/ns/mnt" -- "$@"
    exec setsid "$@" </dev/null
  ) >>"$STATE/logs/$name.log" 2>&1 &
  echo $! >"$STATE/pids/$name"
}

# Waits up to $1 seconds for "${@:2}" to succeed; names the daemon log $LOGNAME on failure.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what did not come up in ${seconds}s; see $STATE/logs/ (e.g. tail $STATE/logs/*.log)"
}

# openssl: cert NAME CN ORG [SUBJECT_ALT_NAMES]
cert() {
  local name=$1 cn=$2 org=$3 sans=${4:-} subject
  subject="/CN=$cn${org:+/O=$org}"
  openssl ecparam -name prime256v1 -genkey -noout -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [ -z "$sans" ] || echo "subjectAltName=$sans"
  } >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

# kubeconfig NAME SERVER: for the client certificate NAME.crt
kubeconfig() {
  local name=$1 server=$2
  cat >"$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- cluster: {certificate-authority: $STATE/pki/ca.crt, server: $server}
  name: $NAME
users:
- name: $name
  user: {client-certificate: $STATE/pki/$name.crt, client-key: $STATE/pki/$name.key}
contexts:
- context: {cluster: $NAME, user: $name}
  name: $name
current-context: $name
EOF
}

make_pki() {
  mkdir -p "$STATE/pki"
  cd "$STATE/pki"
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -subj "/CN=$NAME-ca" -days 30 -out ca.crt 2>/dev/null
  cert apiserver kube-apiserver "" \
    "IP:$NODE_IP,IP:127.0.0.1,IP:$API_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin admin system:masters
  cert kubelet "system:node:$NAME" system:nodes "IP:$NODE_IP,DNS:$NAME"
  cert controller-manager system:kube-controller-manager ""
  cert scheduler system:kube-scheduler ""
  cert proxy system:kube-proxy ""
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  for c in admin kubelet controller-manager scheduler proxy; do kubeconfig "$c" "https://$NODE_IP:6443"; done
  # The same admin identity through the host loopback forwarder (for kubectl outside the netns).
  kubeconfig admin "https://127.0.0.1:$HOST_API_PORT"
  mv admin.kubeconfig admin-host.kubeconfig
  kubeconfig admin "https://$NODE_IP:6443"
  chmod 0600 ./*.key
  cd "$REPO_ROOT"
}

make_netns() {
  ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  # No dummy link type here: a veth pair inside the namespace carries the node address.
  ip -n "$NETNS" link add node0 type veth peer name node1
  ip -n "$NETNS" addr add "$NODE_IP/24" dev node0
  ip -n "$NETNS" link set node0 up
  ip -n "$NETNS" link set node1 up
  ip -n "$NETNS" route add default dev node0
}

# A private mount namespace pinned at $STATE/ns/mnt; /var/log and /run/netns (paths the kubelet
# and containerd do not let us move) are bound to directories under $STATE inside it.
make_mountns() {
  mkdir -p "$STATE/ns" "$STATE/varlog" "$STATE/netns"
  mount --bind "$STATE/ns" "$STATE/ns"
  mount --make-private "$STATE/ns"
  touch "$STATE/ns/mnt"
  unshare --mount="$STATE/ns/mnt" --propagation private true
  nsenter --mount="$STATE/ns/mnt" -- sh -euc "
    mount --make-rshared /
    mount --bind '$STATE/varlog' /var/log
    mkdir -p /run/netns
    mount --bind '$STATE/netns' /run/netns"
}

make_cgroups() {
  local hierarchy
  for hierarchy in "$CGROUP_ROOT"/*/; do
    # The kubelet checks cgroupRoot in every v1 hierarchy, name=systemd included.
    case "$hierarchy" in */unified/) continue ;; esac
    mkdir -p "$hierarchy$NAME"
    if [ -f "${hierarchy}cpuset.cpus" ]; then
      cat "${hierarchy}cpuset.cpus" >"$hierarchy$NAME/cpuset.cpus"
      cat "${hierarchy}cpuset.mems" >"$hierarchy$NAME/cpuset.mems"
    fi
  done
}

write_configs() {
  mkdir -p "$STATE/cni" "$STATE/containerd" "$STATE/kubelet" "$STATE/local-path" "$STATE/etc"
  cat >"$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
[grpc]
  address = "$STATE/containerd/containerd.sock"
[ttrpc]
  address = "$STATE/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$SANDBOX_IMAGE"
  # runc cannot lower oom_score_adj here (no CAP_SYS_RESOURCE).
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni"
EOF
  cat >"$STATE/cni/10-bridge.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "$NAME",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]],
              "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$STATE/cni-ipam"}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $STATE/pki/kubelet.crt
tlsPrivateKeyFile: $STATE/pki/kubelet.key
containerRuntimeEndpoint: unix://$STATE/containerd/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /$NAME
failCgroupV1: false
failSwapOn: false
clusterDNS: [10.96.0.10]
clusterDomain: cluster.local
resolvConf: $STATE/etc/resolv.conf
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
# Images are imported, never pulled: keep them, and never evict for the host's disk usage.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
EOF
  # Pods resolve through CoreDNS only (clusterDNS); nothing goes to the host's resolver.
  printf 'nameserver %s\n' "$NODE_IP" >"$STATE/etc/resolv.conf"
  cat >"$STATE/etc/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $STATE/pki/admin.kubeconfig
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
}
EOF
  printf '{"nodePathMap":[{"node":"DEFAULT_PATH_FOR_NON_LISTED_NODES","paths":["%s"]}]}\n' \
    "$STATE/local-path" >"$STATE/etc/local-path.json"
  cat >"$STATE/etc/helper-pod.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  priorityClassName: system-node-critical
  tolerations:
    - {key: node.kubernetes.io/disk-pressure, operator: Exists, effect: NoSchedule}
  containers:
    - name: helper-pod
      image: $HELPER_IMAGE
      imagePullPolicy: Never
EOF
}

# The local-path helper pod's image: Debian's busybox-static as /bin/sh (mkdir, rm).
helper_image_tar() {
  local dir=$STATE/images/helper layer digest config_digest
  mkdir -p "$dir/root/bin"
  cp /bin/busybox "$dir/root/bin/busybox"
  for applet in sh mkdir rm chmod; do ln -s busybox "$dir/root/bin/$applet"; done
  tar -C "$dir/root" --numeric-owner --owner=0 --group=0 --mtime=@0 -cf "$dir/layer.tar" bin
  digest=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  mkdir -p "$dir/archive"
  mv "$dir/layer.tar" "$dir/archive/$digest.tar"
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$digest" >"$dir/archive/config.json"
  config_digest=$(sha256sum "$dir/archive/config.json" | cut -d' ' -f1)
  mv "$dir/archive/config.json" "$dir/archive/$config_digest.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar"]}]' \
    "$config_digest" "$HELPER_IMAGE" "$digest" >"$dir/archive/manifest.json"
  tar -C "$dir/archive" -cf "$dir/helper.tar" .
  echo "$dir/helper.tar"
}

import_tar() {
  log "importing $1"
  ctr --address "$STATE/containerd/containerd.sock" -n k8s.io images import "$1" >&2
}

load_images() {
  local dir file tag
  for dir in "$@"; do
    [ -f "$dir/images.txt" ] || die "$dir/images.txt not found (expected a directory printed by hack/images.sh)"
    while read -r file tag; do
      [ -n "$file" ] || continue
      import_tar "$dir/$file"
      log "image $tag"
    done <"$dir/images.txt"
  done
}

install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  command -v apt-get >/dev/null || die "missing Debian packages ${missing[*]} and no apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2; }
}

# After a failed up: the daemons' logs outlive the state directory.
keep_logs() {
  local saved
  saved=$(mktemp -d /tmp/modelprefetch-node-logs.XXXXXX)
  cp -r "$STATE/logs/." "$saved/" 2>/dev/null || true
  log "up did not finish; logs kept in $saved; cleaning up"
}

api_ready() { kubectl_node get --raw /readyz; }
node_ready() {
  [ "$(kubectl_node get node "$NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

status() {
  [ -f "$STATE/node.env" ] && [ -e "$NETNS_PATH" ] || { log "not up"; return 1; }
  . "$STATE/node.env"
  KUBECTL=$KUBECTL
  api_ready >/dev/null 2>&1 || { log "API server not ready"; return 1; }
  node_ready 2>/dev/null || { log "node $NAME not Ready"; return 1; }
  log "up: $NAME at $NODE_IP, $(tracked_pids | wc -l) processes; KUBECONFIG=$STATE/pki/admin.kubeconfig (in netns $NETNS), $STATE/pki/admin-host.kubeconfig (host)"
}

up() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespace, mounts, cgroups, containerd)"
  if status 2>/dev/null; then
    [ $# -eq 0 ] || load_images "$@"
    echo "$STATE/node.env"
    return 0
  fi
  [ ! -e "$STATE" ] && [ ! -e "$NETNS_PATH" ] || { log "cleaning up a previous node"; down; }
  [ -d "$CGROUP_ROOT/pids" ] && [ -d "$CGROUP_ROOT/memory" ] \
    || die "needs cgroup v1 hierarchies (pids, memory, cpu...) under $CGROUP_ROOT"
  install_packages
  local kat node_bin started=$SECONDS
  kat=$(bash hack/kube-binaries.sh api | tail -n 1)
  node_bin=$(bash hack/kube-binaries.sh node | tail -n 1)
  local k8s_bin
  k8s_bin=$(ls -d "$kat"/k8s/*-linux-* | head -n 1)
  KUBECTL=$k8s_bin/kubectl

  up_done=0
  trap '[ "$up_done" = 1 ] || { keep_logs; down; }' EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$STATE/logs" "$STATE/pids"
  make_pki
  make_netns
  make_mountns
  make_cgroups
  write_configs

  start_daemon etcd "$k8s_bin/etcd" --data-dir "$STATE/etcd" --name "$NAME" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$NAME=http://127.0.0.1:2380" --unsafe-no-fsync
  start_daemon kube-apiserver "$k8s_bin/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --advertise-address "$NODE_IP" --bind-address 0.0.0.0 --secure-port 6443 \
    --service-cluster-ip-range "$SERVICE_CIDR" --allow-privileged=true \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --client-ca-file "$STATE/pki/ca.crt" \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --kubelet-client-certificate "$STATE/pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$STATE/pki/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$STATE/pki/ca.crt" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$STATE/pki/sa.pub" \
    --service-account-signing-key-file "$STATE/pki/sa.key" --profiling=false
  wait_for 120 "kube-apiserver" api_ready
  start_daemon kube-controller-manager "$node_bin/kube-controller-manager" \
    --kubeconfig "$STATE/pki/controller-manager.kubeconfig" --bind-address 127.0.0.1 \
    --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
    --cluster-signing-cert-file "$STATE/pki/ca.crt" --cluster-signing-key-file "$STATE/pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false
  start_daemon kube-scheduler "$node_bin/kube-scheduler" \
    --kubeconfig "$STATE/pki/scheduler.kubeconfig" --bind-address 127.0.0.1 --leader-elect=false
  start_daemon containerd containerd --config "$STATE/containerd/config.toml"
  wait_for 60 "containerd" ctr --address "$STATE/containerd/containerd.sock" version
  import_tar "$(helper_image_tar)"
  [ $# -eq 0 ] || load_images "$@"
  start_daemon kubelet "$node_bin/kubelet" --config "$STATE/kubelet/config.yaml" \
    --kubeconfig "$STATE/pki/kubelet.kubeconfig" --root-dir "$STATE/kubelet" \
    --hostname-override "$NAME" --node-ip "$NODE_IP" --v 1
  # In a netns /proc/sys/net/netfilter/nf_conntrack_max is read-only: leave conntrack alone.
  start_daemon kube-proxy "$node_bin/kube-proxy" --kubeconfig "$STATE/pki/proxy.kubeconfig" \
    --hostname-override "$NAME" --proxy-mode iptables --cluster-cidr "$POD_CIDR" --masquerade-all \
    --conntrack-max-per-core 0 --conntrack-min 0 \
    --conntrack-tcp-timeout-established 0 --conntrack-tcp-timeout-close-wait 0 \
    --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
  sed -e "s#@NODE_IP@#$NODE_IP#g" hack/node/addons.yaml | kubectl_node apply -f - >&2
  start_daemon coredns "$node_bin/coredns" -conf "$STATE/etc/Corefile"
  start_daemon local-path-provisioner "$node_bin/local-path-provisioner" start \
    --kubeconfig "$STATE/pki/admin.kubeconfig" --config "$STATE/etc/local-path.json" \
    --namespace local-path-storage --helper-image "$HELPER_IMAGE" \
    --helper-pod-file "$STATE/etc/helper-pod.yaml" \
    --service-account-name local-path-provisioner-service-account
  # kubectl outside the netns: host loopback -> a socat inside the netns -> the API server.
  printf '#!/bin/sh\nexec nsenter --net=%s -- socat STDIO TCP:%s:6443\n' "$NETNS_PATH" "$NODE_IP" \
    >"$STATE/etc/api-forward"
  chmod +x "$STATE/etc/api-forward"
  start_daemon api-forward socat "TCP-LISTEN:$HOST_API_PORT,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:$STATE/etc/api-forward"
  wait_for 120 "node $NAME (Ready)" node_ready
  cat >"$STATE/node.env" <<EOF
NODE_NAME=$NAME
NODE_IP=$NODE_IP
NETNS=$NETNS_PATH
KUBECONFIG=$STATE/pki/admin.kubeconfig
HOST_KUBECONFIG=$STATE/pki/admin-host.kubeconfig
KUBECTL=$KUBECTL
LOCAL_PATH_DIR=$STATE/local-path
STATE=$STATE
EOF
  up_done=1
  trap - INT TERM
  log "node $NAME Ready at $NODE_IP in $((SECONDS - started))s"
  echo "$STATE/node.env"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  load)
    shift
    load_images "$@"
    ;;
  kubectl)
    shift
    . "$STATE/node.env" 2>/dev/null || die "the node is not up (hack/node.sh up)"
    kubectl_node "$@"
    ;;
  exec)
    # Tracked like the node's daemons: `down` ends it too.
    shift
    [ -e "$NETNS_PATH" ] || die "the node is not up (hack/node.sh up)"
    [ ! -f "$STATE/node.env" ] || export KUBECONFIG="$STATE/pki/admin.kubeconfig"
    echo $$ >"$CGROUP_ROOT/pids/$NAME/daemons/cgroup.procs"
    exec nsenter --net="$NETNS_PATH" -- "$@"
    ;;
  *)
    echo "usage: $0 up [IMAGE_DIR...] | down | status | load IMAGE_DIR... | kubectl ARGS... | exec CMD..." >&2
    exit 2
    ;;
esac
