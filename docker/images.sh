#!/usr/bin/env bash
# Builds the four KubeFIM images from docker/*.Dockerfile (./kubefim images; docs/install.md):
#   kubefim-agent, kubefim-operator, kubefim-config-service, kubefim-ingest-service
# tagged <registry>/<name>:<version> (default localhost/<name>:<project version>), with podman when
# it is there, Docker otherwise. Options:
#   --base IMAGE      the Java 17 runtime to build on (default: the UBI OpenJDK runtime; when it
#                     cannot be pulled, a Debian-made runtime, localhost/kubefim-jre:17, built
#                     once with debootstrap and kept)
#   --registry PREFIX e.g. myregistry.azurecr.io/kubefim (then push with `podman push`)
#   --tag TAG         default: the project version from pom.xml
#   --only NAMES      a comma-separated subset, e.g. agent,ingest-service
# Builds the jars first when they are missing (Maven). Prints each image with its size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

DEFAULT_BASE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
LOCAL_BASE=localhost/kubefim-jre:17
base="" registry=localhost tag="" only="agent,operator,config-service,ingest-service"
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --registry) registry=${2%/}; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "kubefim images: unknown option '$1' (known: --base IMAGE, --registry PREFIX, --tag TAG, --only NAMES)" >&2; exit 64 ;;
  esac
done
for n in ${only//,/ }; do
  case "$n" in agent|operator|config-service|ingest-service) ;; *)
    echo "kubefim images: --only: unknown image '$n' (agent, operator, config-service, ingest-service)" >&2; exit 64 ;;
  esac
done
[ -n "$tag" ] || tag=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || revision="$revision-dirty"

# The engine. podman on these machines: runc (crun refuses hybrid cgroups), cgroupfs, and no
# default ulimits (runc may not raise RLIMIT_NOFILE); see shared/BUILD-NOTES. KUBEFIM_PODMAN_FLAGS
# overrides the global flags.
if command -v podman >/dev/null 2>&1; then
  engine=(podman)
  if [ -n "${KUBEFIM_PODMAN_FLAGS+x}" ]; then
    # shellcheck disable=SC2206
    engine+=($KUBEFIM_PODMAN_FLAGS)
  elif [ "$(id -u)" -eq 0 ] && command -v runc >/dev/null 2>&1; then
    engine+=(--runtime "$(command -v runc)" --cgroup-manager=cgroupfs)
  fi
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    export CONTAINERS_CONF="$ROOT/.kubefim/containers.conf"
    mkdir -p "$ROOT/.kubefim"
    printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
  fi
elif command -v docker >/dev/null 2>&1; then
  engine=(docker)
else
  echo "kubefim images: neither podman nor docker found (apt-get install -y podman runc)" >&2
  exit 69
fi
have() { "${engine[@]}" image inspect "$1" >/dev/null 2>&1; }

# A Java 17 runtime from Debian's packages, for machines that reach Debian but no registry.
local_base() {
  if have "$LOCAL_BASE"; then return 0; fi
  command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] ||
    { echo "kubefim images: no base image: cannot pull $DEFAULT_BASE, and building $LOCAL_BASE needs root and debootstrap (apt-get install -y debootstrap), or pass --base IMAGE" >&2; exit 69; }
  local mirror dir
  mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  mirror=${mirror:-http://deb.debian.org/debian}
  dir=$(mktemp -d /tmp/kubefim-jre.XXXXXX)
  echo "kubefim images: building $LOCAL_BASE with debootstrap from $mirror (once; about a minute)" >&2
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$dir" "$mirror" >"$dir.log" 2>&1 ||
    { tail -n 20 "$dir.log" >&2; rm -rf "$dir" "$dir.log"; exit 69; }
  # Smaller: no package caches, documentation or translations (the JRE needs none of them).
  rm -rf "$dir"/var/cache/apt/* "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/var/log/*
  tar -C "$dir" -c . | "${engine[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' - "$LOCAL_BASE" >/dev/null
  rm -rf "$dir" "$dir.log"
}

if [ -z "$base" ]; then
  if have "$DEFAULT_BASE" || timeout 60 "${engine[@]}" pull -q "$DEFAULT_BASE" >/dev/null 2>&1; then
    base=$DEFAULT_BASE
  else
    echo "kubefim images: cannot pull $DEFAULT_BASE; using the Debian-made $LOCAL_BASE" >&2
    local_base
    base=$LOCAL_BASE
  fi
fi

# The jars, when missing or older than their sources.
need=()
for n in ${only//,/ }; do
  case "$n" in
    agent) jar=node-agent/target/kubefim-agent.jar; mod=node-agent ;;
    *) jar=$n/target/quarkus-app/quarkus-run.jar; mod=$n ;;
  esac
  if [ ! -f "$jar" ] || [ -n "$(find api "$mod" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
    need+=("$mod")
  fi
done
if [ ${#need[@]} -gt 0 ]; then
  echo "kubefim images: building ${need[*]} (Maven)" >&2
  mvn -B -q package -DskipTests -Dspotless.check.skip=true -pl "api,$(IFS=,; echo "${need[*]}")" -am
fi

# Each image from a small staged context: only what it copies, never the whole checkout.
stage=$(mktemp -d /tmp/kubefim-images.XXXXXX)
trap 'rm -rf "$stage"' EXIT
for n in ${only//,/ }; do
  ctx="$stage/$n"
  mkdir -p "$ctx"
  if [ "$n" = agent ]; then
    mkdir -p "$ctx/bin" "$ctx/node-agent/target" "$ctx/node-agent/jvm"
    cp bin/kubefim-agent "$ctx/bin/"
    cp node-agent/target/kubefim-agent.jar "$ctx/node-agent/target/"
    cp node-agent/jvm/compiler-directives.json "$ctx/node-agent/jvm/"
  else
    cp -a "$n/target/quarkus-app" "$ctx/quarkus-app"
  fi
  image="$registry/kubefim-$n:$tag"
  echo "kubefim images: $image (base $base)" >&2
  before=$("${engine[@]}" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  "${engine[@]}" build -q -f "docker/$n.Dockerfile" -t "$image" \
    --build-arg BASE_IMAGE="$base" --build-arg VERSION="$tag" --build-arg REVISION="$revision" \
    "$ctx" >/dev/null
  # The image this tag named before, now untagged: removed, so rebuilds leave nothing behind.
  after=$("${engine[@]}" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  if [ -n "$before" ] && [ "$before" != "$after" ]; then
    "${engine[@]}" rmi "$before" >/dev/null 2>&1 || true
  fi
done
"${engine[@]}" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "/kubefim-(agent|operator|config-service|ingest-service):$tag " || true
