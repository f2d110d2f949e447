# KubeFIM node agent: one fat jar (node-agent/target/kubefim-agent.jar), run by the DaemonSet
# that the operator renders (never by the chart). Build, from the repository root:
#   mvn -pl node-agent -am package -DskipTests
#   docker build -f docker/agent.Dockerfile -t <registry>/kubefim-agent:<version> node-agent
# Not built in CI (no Docker engine on the CI machines): kept correct by review.
#
# Runs as root BY NECESSITY: a file integrity monitor must read and hash root-only host files
# (/etc/shadow, /root, 0700 directories under /etc). The privilege is bounded by the DaemonSet,
# see docker/README.md: capabilities drop ALL, add DAC_READ_SEARCH only (SYS_ADMIN only with
# fanotify), allowPrivilegeEscalation false, read-only root filesystem, host paths mounted
# read-only under /host, /var/lib/kubefim the only writable host path.
ARG BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
FROM ${BASE_IMAGE}

COPY target/kubefim-agent.jar /opt/kubefim/kubefim-agent.jar

USER 0:0
EXPOSE 8082
# sqlite-jdbc and JNA unpack their native libraries to java.io.tmpdir: /tmp, an emptyDir in the
# DaemonSet (the root filesystem is read-only).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

# The DaemonSet passes the arguments: run --state /var/lib/kubefim --config-url ... --node $(NODE_NAME) ...
ENTRYPOINT ["java", "-jar", "/opt/kubefim/kubefim-agent.jar"]
CMD ["--help"]
