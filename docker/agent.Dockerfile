# KubeFIM node agent: one fat jar (node-agent/target/kubefim-agent.jar), run by the DaemonSet
# that the operator renders (never by the chart). Build, from the repository root:
#   mvn -pl node-agent -am package -DskipTests
#   docker build -f docker/agent.Dockerfile -t <registry>/kubefim-agent:<version> node-agent
# Not built in CI (no Docker engine on the CI machines): kept correct by review.
#
# Runs as root BY NECESSITY: a file integrity monitor must read and hash root-only host files
# (/etc/shadow, /root, 0700 directories under /etc). The privilege is bounded by the DaemonSet,
# see docker/README.md: capabilities drop ALL, add DAC_READ_SEARCH only (SYS_ADMIN, SYS_PTRACE
# and hostPID only while a policy asks for attribution), allowPrivilegeEscalation false, read-only root filesystem, host paths mounted
# read-only under /host, /var/lib/kubefim the only writable host path.
ARG BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
FROM ${BASE_IMAGE}

COPY target/kubefim-agent.jar /opt/kubefim/kubefim-agent.jar
COPY jvm/compiler-directives.json /opt/kubefim/compiler-directives.json

USER 0:0
EXPOSE 8082
# A UTF-8 locale, so that the JDK decodes valid non-ASCII file names itself and logs show them; the
# agent does not depend on it (names are bytes under any locale: docs/agent.md).
ENV LC_ALL=C.UTF-8
# JNA unpacks its native library to java.io.tmpdir: /tmp, an emptyDir in the DaemonSet (the root
# filesystem is read-only). sqlite-jdbc's library is kept in the state directory
# (/var/lib/kubefim/native/), so a restart maps it instead of writing it again.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

# The DaemonSet passes the arguments: run --state /var/lib/kubefim --config-url ... --node $(NODE_NAME) ...
# The same JVM flags as bin/kubefim-agent: serial GC; C2 only for the digest code (see
# compiler-directives.json); JVM messages on stderr, never in the NDJSON of `check` on stdout.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxMetaspaceSize=96m", \
  "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-Xlog:disable", "-Xlog:all=warning:stderr", \
  "-XX:CompilerDirectivesFile=/opt/kubefim/compiler-directives.json", \
  "-jar", "/opt/kubefim/kubefim-agent.jar"]
CMD ["--help"]
