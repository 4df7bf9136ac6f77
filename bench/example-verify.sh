#!/usr/bin/env bash
# Wall time of `mvn verify` on examples/datahub-style (3 hubs: validate → build-image → plan), as a pull request runs
# it, with no network: the plugin from this checkout is installed into target/local-repo (as the ITs do) and the
# example is copied to a temporary directory. Prints one line per run.
# Usage: bench/example-verify.sh [runs] [extra mvn args, e.g. -T 2 or -pl hubs/stat20]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"; shift || true
mvn -B -o -q -DskipTests package invoker:install >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#@localRepositoryUrl@#file://$HOME/.m2/repository#" src/it/settings.xml > "$work/settings.xml"
cp -r examples/datahub-style "$work/example"
rm -rf "$work"/example/hubs/*/target
repo="$PWD/target/local-repo"
mvn_verify() {
  (cd "$work/example" && mvn -B verify -s "$work/settings.xml" -Dmaven.repo.local="$repo" \
    -Dhub.base.image=scratch -Ddatahub.image.push=false -Ddatahub.image-test.skip=true "$@")
}
for i in $(seq 1 "$runs"); do
  [ "$i" = 1 ] && state="first (no target/)" || state="again (target/ kept)"
  start=$(date +%s.%N)
  mvn_verify "$@" >"$work/run-$i.log" 2>&1 || { cat "$work/run-$i.log"; exit 1; }
  end=$(date +%s.%N)
  printf 'run %d, %s: %.1f s\n' "$i" "$state" "$(echo "$end - $start" | bc)"
done
