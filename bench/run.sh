#!/usr/bin/env bash
# Runs one benchmark main class from src/test/java/dev/datahub/bench against the real local servers.
# Usage: bench/run.sh BuildImageBenchmark [args...]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
main="$1"; shift
exec java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" "dev.datahub.bench.$main" "$@"
