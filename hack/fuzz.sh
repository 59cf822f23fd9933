#!/usr/bin/env bash
# Fuzzes every parser of remote or user input (the *FuzzTest classes, Jazzer's JUnit integration):
# HF tree pages, revisions and the Link header, Content-Range, Retry-After, S3 listing keys and
# checksum headers, remote path validation, size/duration arguments, the artifacts annotation.
#
#   bash hack/fuzz.sh            # 5 s per fuzz test: the time-boxed run of hack/test.sh (~2 min)
#   bash hack/fuzz.sh 600        # 10 min per fuzz test: a longer run for people
#
# Each fuzz test runs in its own JVM (Jazzer fuzzes one test per JVM). A crash fails the run and
# Jazzer saves its input next to the test's regression inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/crash-*): commit it with the fix, and every
# later `./mvnw verify` replays it. Without JAZZER_FUZZ (the normal build) only those inputs run.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
seconds=${1:-5}
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./mvnw -B -ntp -pl initcontainer,operator -am test \
  -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -DreuseForks=false \
  -Djazzer.max_duration="${seconds}s"
