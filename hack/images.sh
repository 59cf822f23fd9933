#!/usr/bin/env bash
# Builds the images offline, as docker-archive tars (`docker load`, `ctr -n k8s.io images import`):
#   base.tar         modelprefetch/base:dev        jlink'ed JRE (Temurin 25) on a minimal root file system:
#                                                   glibc and the libraries the JRE links (copied from
#                                                   this host, ldd closure), CA certificates, /etc/passwd
#                                                   with the non-root user 65532, /tmp (1777)
#   downloader.tar   modelprefetch/modelprefetch:dev            jib:buildTar of initcontainer on base.tar
#   operator.tar     modelprefetch/modelprefetch-operator:dev   jib:buildTar of operator on base.tar
#   pause.tar        modelprefetch/pause:dev       static C binary waiting for SIGTERM/SIGINT (sandbox_image)
#   model-check.tar  modelprefetch/model-check:dev test "inference server": checks $MODEL_PATH's SHA-256,
#                                                   then serves GET / (hack/images/ModelCheck.java)
# images.txt in the same directory lists "FILE TAG" per image.
#
# Cached under $MODELPREFETCH_CACHE/images/<key>, the key a hash of every input (this script, its
# sources, the JDK, the host libraries, the modules' sources and poms): a rebuild happens only when
# one changes. Logs go to stderr; the LAST stdout line is the directory holding the tars.
#   bash hack/images.sh
#   MODELPREFETCH_IMAGE_TAG=dev (default)   tag of every image
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. hack/lib.sh

tag="${MODELPREFETCH_IMAGE_TAG:-dev}"
prefix=modelprefetch
# The JRE's modules: what jdeps finds the downloader and the operator (with their libraries) need,
# checked on every build below; java.desktop only for java.beans (Jackson, Micrometer, commons-lang3),
# so its AWT/X11/sound natives are removed (headless). jdk.httpserver also serves the model-check
# test image; jdk.jfr and jdk.management allow diagnostics (jcmd) in a running pod; jdk.crypto.ec is
# part of java.base now.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
log() { printf '[images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in gcc ldd sha256sum tar; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install gcc libc6-dev tar coreutils)"
done
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -n "$(gcc -print-file-name=libc.a | grep /)" ] \
  || die "no static libc for the pause image (Debian: apt-get install libc6-dev)"
[ -f /etc/ssl/certs/ca-certificates.crt ] || die "no /etc/ssl/certs/ca-certificates.crt (Debian: apt-get install ca-certificates)"

# Inputs of the base image, then of the application images.
base_inputs() {
  sed '/^# ---- downloader and operator/q' hack/images.sh | sha256sum
  sha256sum hack/lib.sh "$JAVA_HOME/release" /etc/ssl/certs/ca-certificates.crt
  dpkg-query -W -f='${Package} ${Version}\n' libc6 libgcc-s1 2>/dev/null || ldd --version | head -1
}
app_inputs() {
  git ls-files --cached --others --exclude-standard -- hack/images.sh pom.xml crds fixtures/pom.xml initcontainer operator hack/images \
    | grep -v -e '/src/test/' -e '/target/' | sort | xargs -d '\n' sha256sum
}
base_key=$(base_inputs | sha256sum | cut -c1-16)
key=$( { echo "base $base_key tag $tag"; app_inputs; } | sha256sum | cut -c1-16)
cache="$MODELPREFETCH_CACHE/images"
out="$cache/$key"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -f "$out/images.txt" ]; then
  log "up to date: $out"
  echo "$out"; exit 0
fi

work=$(mktemp -d "$cache/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
started=$SECONDS

# Writes a docker-archive tar: $1 output, $2 tag, $3 config JSON (the "config" object), then the
# layer tars, bottom first.
docker_archive() {
  local target=$1 ref=$2 config=$3; shift 3
  local dir="$work/archive.$$.$RANDOM" diff_ids="" layers="" i=0 layer digest
  mkdir -p "$dir"
  for layer in "$@"; do
    digest=$(sha256sum "$layer" | cut -d' ' -f1)
    cp "$layer" "$dir/$digest.tar"
    diff_ids+="${diff_ids:+,}\"sha256:$digest\""
    layers+="${layers:+,}\"$digest.tar\""
    i=$((i + 1))
  done
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"hack/images.sh"}]}' \
    "$config" "$diff_ids" >"$dir/config.json"
  digest=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$digest.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]' "$digest" "$ref" "$layers" >"$dir/manifest.json"
  (cd "$dir" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$target" -- *)
  rm -rf "$dir"
}

# A reproducible layer of directory $2 (owned by root, except the paths in $3... owned by 65532).
layer_tar() {
  local target=$1 dir=$2; shift 2
  local excludes=() path
  for path in "$@"; do excludes+=(--exclude="$path"); done
  (cd "$dir" && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 "${excludes[@]}" -cf "$target" -- *)
  for path in "$@"; do
    tar -C "$dir" --sort=name --owner=65532 --group=65532 --numeric-owner --mtime=@0 -rf "$target" "$path"
  done
}

java_env='"PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8","HOME=/home/nonroot"'

# ---- base: jlink'ed JRE + glibc closure + CA certificates + users ----
base_layer="$cache/base-$base_key.layer.tar"
if [ ! -f "$base_layer" ]; then
  log "base: jlink $modules"
  rootfs="$work/base"
  mkdir -p "$rootfs/opt/java" "$rootfs/usr/lib/x86_64-linux-gnu" "$rootfs/usr/lib64" "$rootfs/etc/ssl/certs" \
    "$rootfs/tmp" "$rootfs/home/nonroot" "$rootfs/root" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --generate-cds-archive --output "$rootfs/opt/java/openjdk" >&2
  # Headless: no X11, sound, splash screen or font rendering libraries (they would pull in X11's).
  # The CDS archive for heaps over 32 GiB (no compressed oops) is never used by these containers.
  (cd "$rootfs/opt/java/openjdk/lib" && rm -f libawt_xawt.so libjawt.so libsplashscreen.so libjsound.so \
    libfontmanager.so libfreetype.so liblcms.so libjavajpeg.so libmlib_image.so server/classes_nocoops.jsa)
  # Every library the JRE's executables and shared objects load, copied to the same path (merged /usr).
  # libgcc_s is loaded by glibc at run time (thread cancellation, backtraces), so ldd cannot see it.
  libs=$(find "$rootfs/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
  libs+=$'\n'$(realpath -s "$(gcc -print-file-name=libgcc_s.so.1)")
  for lib in $libs; do
    case "$lib" in "$rootfs"/*) continue ;; esac
    real=$(readlink -f "$lib")
    dest="$rootfs/usr${lib#/usr}"
    mkdir -p "$(dirname "$dest")"
    cp "$real" "$dest"
  done
  ln -s usr/lib "$rootfs/lib"
  ln -s usr/lib64 "$rootfs/lib64"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  chmod 1777 "$rootfs/tmp"
  chmod 0700 "$rootfs/root"
  chmod 0755 "$rootfs/home/nonroot"
  # The JRE must start on nothing but this root file system (private mount namespace: /proc for
  # the loader's $ORIGIN, gone when the check exits).
  if ! out_check=$(unshare --mount --pid --fork --mount-proc="$rootfs/proc" \
    chroot "$rootfs" /opt/java/openjdk/bin/java -Xshare:on -XX:-UsePerfData -XX:+DisplayVMOutputToStderr -version 2>&1); then
    die "the base image's JRE does not start in its own root file system: $out_check"
  fi
  layer_tar "$work/base.layer.tar" "$rootfs" home/nonroot
  mv "$work/base.layer.tar" "$base_layer"
fi

mkdir -p "$work/out"
docker_archive "$work/out/base.tar" "$prefix/base:$tag" \
  "{\"User\":\"65532:65532\",\"Env\":[$java_env],\"WorkingDir\":\"/home/nonroot\"}" "$base_layer"

# ---- downloader and operator: jib buildTar onto the base ----
log "downloader, operator: jib:buildTar"
nice ./mvnw -B -ntp -q -pl initcontainer,operator -am package jib:buildTar -DskipTests \
  -Djib.base.image="tar://$work/out/base.tar" -Dimage.prefix="$prefix" -Dimage.tag="$tag" \
  -Djib.container.format=Docker >&2
cp initcontainer/target/jib-image.tar "$work/out/downloader.tar"
cp operator/target/jib-image.tar "$work/out/operator.tar"

# Every JDK module the code and its libraries (target/lib: the runtime dependencies) need must be in
# the jlink'ed JRE.
log "jdeps: the JDK modules the downloader and the operator need"
needed=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps -q \
  initcontainer/target/classes operator/target/classes initcontainer/target/lib/*.jar operator/target/lib/*.jar)
for m in ${needed//,/ }; do
  [[ ",$modules," == *",$m,"* ]] || die "the downloader or the operator needs the JDK module $m: add it to modules in hack/images.sh"
done

# ---- pause: a static binary ----
log "pause: gcc -static"
mkdir -p "$work/pause"
gcc -static -Os -s -Wall -Werror -o "$work/pause/pause" hack/images/pause.c
layer_tar "$work/pause.layer.tar" "$work/pause"
docker_archive "$work/out/pause.tar" "$prefix/pause:$tag" '{"User":"65535:65535","Entrypoint":["/pause"]}' "$work/pause.layer.tar"

# ---- model-check: the E2E's stand-in inference server, on the base ----
log "model-check: javac"
mkdir -p "$work/model-check/app"
"$JAVA_HOME/bin/javac" --release 25 -d "$work/model-check/app" hack/images/ModelCheck.java
layer_tar "$work/model-check.layer.tar" "$work/model-check"
docker_archive "$work/out/model-check.tar" "$prefix/model-check:$tag" \
  "{\"User\":\"65532:65532\",\"Env\":[$java_env],\"WorkingDir\":\"/home/nonroot\",\"Entrypoint\":[\"/opt/java/openjdk/bin/java\",\"-XX:+DisplayVMOutputToStderr\",\"-XX:-UsePerfData\",\"-Xshare:auto\",\"-XX:+UseSerialGC\",\"-Xmx64m\",\"-cp\",\"/app\",\"ModelCheck\"],\"ExposedPorts\":{\"8000/tcp\":{}}}" \
  "$base_layer" "$work/model-check.layer.tar"

cat >"$work/out/images.txt" <<EOF
base.tar $prefix/base:$tag
downloader.tar $prefix/modelprefetch:$tag
operator.tar $prefix/modelprefetch-operator:$tag
pause.tar $prefix/pause:$tag
model-check.tar $prefix/model-check:$tag
EOF
rm -rf "$out"
mv "$work/out" "$out"
# Keep the three newest builds.
ls -1dt "$cache"/*/ | tail -n +4 | xargs -r rm -rf
log "built in $((SECONDS - started)) s: $(du -sh "$out" | cut -f1) in $out"
echo "$out"
