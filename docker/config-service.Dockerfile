# KubeFIM config-service (per-node compiled rules, long-poll, heartbeats, rollout), JVM mode, the standard Quarkus fast-jar layout. Build with
# `./kubefim images` (podman, or Docker), which stages target/quarkus-app of the module as the
# context. Runs as UID 185, read-only root filesystem in the chart; /tmp is an emptyDir there.
# Needs only `java` on the PATH of the base: the UBI OpenJDK runtime by default, or the
# Debian-made one (`./kubefim images` makes it when no registry can be reached).
ARG BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/kubefim/kubefim
LABEL org.opencontainers.image.title="kubefim-config-service" \
      org.opencontainers.image.description="KubeFIM config-service: per-node compiled rules, long-poll, heartbeats, rollout" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

# Dependencies first (they change least), then the application. Owned by root and read-only to
# the runtime user: the process cannot rewrite its own code.
COPY quarkus-app/lib/ /deployments/lib/
COPY quarkus-app/*.jar /deployments/
COPY quarkus-app/app/ /deployments/app/
COPY quarkus-app/quarkus/ /deployments/quarkus/

EXPOSE 8081
USER 185:185
# Heap from the container's memory limit (75 %), exit on OutOfMemoryError (the pod restarts); the
# JBoss log manager is what Quarkus logging expects; scratch files in /tmp (an emptyDir in the
# chart). Extra JVM flags: the environment variable JDK_JAVA_OPTIONS, which java itself reads.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
  "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dquarkus.http.host=0.0.0.0", \
  "-Djava.io.tmpdir=/tmp", "-jar", "/deployments/quarkus-run.jar"]
