#!/usr/bin/env bash
# Multi-hub benchmark (issue 6 item 7): `mvn verify` wall time of a generated 27-hub reactor against a single-hub
# project, with nothing changed and with one hub's notebook changed. build-image pushes to a real local registry
# (Debian docker-registry, started here on a free loopback port); plan renders each hub's chart offline.
#
# Usage: bench/multihub.sh [runs per case, default 3] [hubs, default 27]
# Needs: /usr/bin/docker-registry (apt-get install -y docker-registry). No network: Maven runs offline (-o) against a
# private local repository under target/bench-multihub/m2 that reads ~/.m2/repository as a file:// repository, so
# the plugin installed for the benchmark never replaces the one in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${1:-3}
HUBS=${2:-27}
B=$ROOT/target/bench-multihub
REPO=$B/m2
SETTINGS=$B/settings.xml
[ -x /usr/bin/docker-registry ] || { echo "docker-registry is missing: apt-get install -y docker-registry" >&2; exit 1; }

rm -rf "$B/work" "$B/registry"
mkdir -p "$B/work" "$B/registry" "$REPO"
cat > "$SETTINGS" <<EOF
<settings>
  <localRepository>$REPO</localRepository>
  <profiles>
    <profile>
      <id>home-m2</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <repositories>
        <repository><id>home-m2</id><url>file://$HOME/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>home-m2</id><url>file://$HOME/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
</settings>
EOF
MVN=(mvn -B -o -s "$SETTINGS" -Daether.offline.protocols=file)

echo "== installing the plugin into $REPO" >&2
"${MVN[@]}" -q install -DskipTests -Dinvoker.skip >/dev/null
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)

# ---- registry ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$B/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $B/registry/data
http:
  addr: 127.0.0.1:$PORT
EOF
/usr/bin/docker-registry serve "$B/registry/config.yml" > "$B/registry/registry.log" 2>&1 &
REGISTRY_PID=$!
trap 'kill $REGISTRY_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done
REGISTRY=127.0.0.1:$PORT

# ---- generator ----
cp -r src/test/resources/charts/minihub "$B/work/chart"
printf 'hub:\n  replicas: 1\nsingleuser:\n  defaultUrl: /lab\n' > "$B/work/common.yaml"

plugin_block() { # $1: path of the shared files relative to a hub's directory
  cat <<EOF
        <groupId>dev.datahub</groupId>
        <artifactId>datahub-maven-plugin</artifactId>
        <version>$VERSION</version>
        <configuration>
          <image>
            <from>scratch</from>
            <to>\${registry}/hubs/\${project.artifactId}</to>
            <allowInsecureRegistries><registry>\${registry}</registry></allowInsecureRegistries>
            <environment><DATAHUB_HUB>\${project.artifactId}</DATAHUB_HUB></environment>
            <content>
              <mapping><source>config/jupyter_server_config.py</source><target>/etc/jupyter/jupyter_server_config.py</target></mapping>
              <mapping><source>notebooks</source><target>/home/jovyan/notebooks</target><owner>1000:100</owner></mapping>
            </content>
          </image>
          <chart><directory>\${project.basedir}/$1/chart</directory></chart>
          <values><value>\${project.basedir}/$1/common.yaml</value></values>
          <environments>
            <staging>
              <kubeContext>staging</kubeContext>
              <namespace>\${project.artifactId}-staging</namespace>
              <release>\${project.artifactId}</release>
              <values><value>\${project.basedir}/values/staging.yaml</value></values>
            </staging>
          </environments>
        </configuration>
        <executions>
          <execution><id>image</id><phase>package</phase><goals><goal>build-image</goal></goals></execution>
          <execution><id>plan</id><phase>verify</phase><goals><goal>plan</goal></goals></execution>
        </executions>
EOF
}

hub_files() { # $1: directory, $2: hub name
  mkdir -p "$1/notebooks" "$1/config" "$1/values"
  for n in 1 2 3 4 5; do
    python3 - "$1/notebooks/lesson-$n.ipynb" "$2" "$n" <<'PY'
import json, sys
path, hub, n = sys.argv[1], sys.argv[2], sys.argv[3]
cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
          "source": [f"# {hub} lesson {n} cell {i}\n", "import math\n", f"print(math.sqrt({i}))\n"]} for i in range(60)]
json.dump({"cells": cells, "metadata": {"hub": hub}, "nbformat": 4, "nbformat_minor": 5}, open(path, "w"), indent=1)
PY
  done
  printf 'c.ServerApp.shutdown_no_activity_timeout = 3600\n# %s\n' "$2" > "$1/config/jupyter_server_config.py"
  printf 'hub:\n  extraEnv:\n    HUB_NAME: %s\n' "$2" > "$1/values/staging.yaml"
}

# single-hub project: the same configuration, inline
mkdir -p "$B/work/single"
hub_files "$B/work/single" single-hub
cp -r "$B/work/chart" "$B/work/common.yaml" "$B/work/single/"
cat > "$B/work/single/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example.hubs</groupId>
  <artifactId>single-hub</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
$(plugin_block .)
  </plugin></plugins></build>
</project>
EOF

# reactor: parent with the shared configuration in pluginManagement, one module per hub
R=$B/work/reactor
mkdir -p "$R"
cp -r "$B/work/chart" "$B/work/common.yaml" "$R/"
MODULES=""
for i in $(seq -w 1 "$HUBS"); do
  hub=hub-$i
  MODULES="$MODULES<module>$hub</module>"
  hub_files "$R/$hub" "$hub"
  cat > "$R/$hub/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.example.hubs</groupId><artifactId>hubs</artifactId><version>1.0</version></parent>
  <artifactId>$hub</artifactId>
  <packaging>pom</packaging>
  <build><plugins><plugin><groupId>dev.datahub</groupId><artifactId>datahub-maven-plugin</artifactId></plugin></plugins></build>
</project>
EOF
done
cat > "$R/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example.hubs</groupId>
  <artifactId>hubs</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <modules>$MODULES</modules>
  <build><pluginManagement><plugins><plugin>
$(plugin_block ..)
  </plugin></plugins></pluginManagement></build>
</project>
EOF

# ---- measurement ----
export KUBECONFIG=$B/work/no-cluster.yaml # plan reads no kubeconfig (offline render); a dead one proves it
COMMON=(-Dregistry="$REGISTRY" -Ddatahub.image.cacheDirectory="$B/jib-cache")
seconds() { # $1: project dir, rest: extra mvn args; prints the wall time of `mvn verify`
  local dir=$1; shift
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && "${MVN[@]}" verify "${COMMON[@]}" "$@" > "$B/last.log" 2>&1) \
    || { echo "mvn verify failed in $dir:" >&2; tail -40 "$B/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
change() { # appends a cell to one notebook: a real content change
  python3 - "$1" <<'PY'
import json, sys, time
nb = json.load(open(sys.argv[1]))
nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": [f"changed {time.time_ns()}"]})
json.dump(nb, open(sys.argv[1], "w"), indent=1)
PY
}
median() { python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(f'{min(v):.2f}s | {statistics.median(v):.2f}s | ' + ', '.join(f'{x:.2f}' for x in v))" "$@"; }
ratio() { python3 -c "import sys; a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; print(f'{min(a)/min(b):.2f}x (best) / {sorted(a)[len(a)//2]/sorted(b)[len(b)//2]:.2f}x (median)')" "$1" "$2"; }

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== warm-up (first build pushes every image)" >&2
seconds "$B/work/single" >/dev/null
seconds "$R" -T 2 >/dev/null

CHANGED=hub-$(printf "%0${#HUBS}d" $(( (HUBS + 1) / 2 ))) # the hub whose notebook changes
declare -a s0 s1 r0t1 r0t2 r1t1 r1t2
for _ in $(seq "$RUNS"); do
  s0+=("$(seconds "$B/work/single")")
  change "$B/work/single/notebooks/lesson-3.ipynb"; s1+=("$(seconds "$B/work/single")")
  r0t1+=("$(seconds "$R")")
  r0t2+=("$(seconds "$R" -T 2)")
  change "$R/$CHANGED/notebooks/lesson-3.ipynb"; r1t1+=("$(seconds "$R")")
  change "$R/$CHANGED/notebooks/lesson-3.ipynb"; r1t2+=("$(seconds "$R" -T 2)")
done
# the last run (-T 2, one hub changed): every other hub must have skipped its push
SKIPPED=$(grep -c "already exists (inputs unchanged)" "$B/last.log" || true)
PUSHED=$(grep -c "Built image .*/hubs/$CHANGED@" "$B/last.log" || true)
[ "$SKIPPED" -eq $((HUBS - 1)) ] && [ "$PUSHED" -eq 1 ] \
  || { echo "expected $((HUBS - 1)) skipped pushes and $CHANGED built; got $SKIPPED skipped, $PUSHED built" >&2; exit 1; }

echo
echo "mvn verify wall time (build-image to a local registry + offline plan), $RUNS runs per case, $(nproc) cores,"
echo "load average before: $LOAD"
echo "| project | change | -T | best | median | runs |"
echo "|---|---|---|---|---|---|"
echo "| single hub | nothing | 1 | $(median "${s0[@]}") |"
echo "| single hub | one notebook | 1 | $(median "${s1[@]}") |"
echo "| $HUBS-hub reactor | nothing | 1 | $(median "${r0t1[@]}") |"
echo "| $HUBS-hub reactor | nothing | 2 | $(median "${r0t2[@]}") |"
echo "| $HUBS-hub reactor | one hub's notebook | 1 | $(median "${r1t1[@]}") |"
echo "| $HUBS-hub reactor | one hub's notebook | 2 | $(median "${r1t2[@]}") |"
echo
echo "one hub changed (-T 2) vs single hub with one notebook changed: $(ratio "${r1t2[*]}" "${s1[*]}")"
echo "one hub changed (-T 1) vs single hub with one notebook changed: $(ratio "${r1t1[*]}" "${s1[*]}")"
echo "nothing changed (-T 1) vs single hub, nothing changed: $(ratio "${r0t1[*]}" "${s0[*]}")"
