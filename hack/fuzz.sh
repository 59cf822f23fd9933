#!/usr/bin/env bash
# Fuzzes every parser of remote or user input (Jazzer's JUnit integration, the *FuzzTest classes):
# HF tree pages, revisions and the Link header, Content-Range, Retry-After, S3 listing keys and
# checksum headers, remote path validation, size/duration arguments, the artifacts annotation.
#
#   bash hack/fuzz.sh                # time-boxed (hack/test.sh): 30 s over all downloader parsers at
#                                    # once (DownloaderParsersFuzzTest) and 30 s on the annotation
#   bash hack/fuzz.sh --each 600     # for people: every fuzz test on its own, 600 s each
#
# Jazzer fuzzes one test per JVM, so each fuzz test runs in its own fork. A crash fails the run and
# Jazzer saves its input next to the test's regression inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-*): commit it with the fix, and every
# later `./mvnw verify` replays it. Without JAZZER_FUZZ (the normal build) only those inputs run.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
tests='DownloaderParsersFuzzTest,ArtifactsAnnotationFuzzTest'
seconds=30
if [ "${1:-}" = "--each" ]; then
  tests='*FuzzTest,!DownloaderParsersFuzzTest'
  seconds=${2:-600}
fi
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./mvnw -B -ntp -pl initcontainer,operator -am test \
  -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -DreuseForks=false
