#!/usr/bin/env bash
# Offline check of the image configuration: packs a jlink'ed JRE (from the local JDK 25) as a
# docker-save tarball that jib can use as its base (tar://), since this machine has no registry.
# The result is NOT a runnable base image (no libc, no CA certificates): release images use
# eclipse-temurin:25-jre (the default jib.base.image). Last stdout line: the tar path.
#   bash hack/jib-base-tar.sh
#   ./mvnw -pl initcontainer,operator -am package jib:buildTar -DskipTests -Djib.base.image=tar://$(bash hack/jib-base-tar.sh | tail -n 1)
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
out="$MODELPREFETCH_CACHE/jib-base/jre-25-base.tar"
if [ -s "$out" ]; then echo "$out"; exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/opt/java" "$(dirname "$out")"
"$JAVA_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.httpserver,jdk.management,jdk.net,jdk.zipfs,jdk.crypto.cryptoki,jdk.charsets,jdk.localedata,jdk.jfr --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$work/rootfs/opt/java/openjdk" >&2
tar -C "$work/rootfs" --owner=0 --group=0 --numeric-owner --mtime='1970-01-01' -cf "$work/layer.tar" opt
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created_by":"hack/jib-base-tar.sh (jlink)"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["local/modelprefetch-jre:25"],"Layers":["layer.tar"]}]' >"$work/manifest.json"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "$out"
