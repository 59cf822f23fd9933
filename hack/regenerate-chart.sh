#!/usr/bin/env bash
# Rewrites the files the chart and deploy/ take from elsewhere (the CRD from crds/, the operator's
# RBAC and webhook configuration, the dashboard copy) and re-renders deploy/modelprefetch.yaml from
# the chart. GeneratedFilesTest fails on drift and prints this command.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/lib.sh
./mvnw -q -B -ntp -pl charts -am verify -DskipITs -Dtest=GeneratedFilesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmodelprefetch.regenerate=true
git status --short charts deploy
