# KubeFIM node agent: one fat jar, started by the same launcher as on a workstation
# (bin/kubefim-agent: the JVM flags live there and only there). Run by the DaemonSet that the
# operator renders (never by the chart). Build with `./kubefim images` (podman, or Docker), which
# stages the context: bin/kubefim-agent, node-agent/target/kubefim-agent.jar,
# node-agent/jvm/compiler-directives.json.
#
# Runs as root BY NECESSITY: a file integrity monitor must read and hash root-only host files
# (/etc/shadow, /root, 0700 directories under /etc). The privilege is bounded by the DaemonSet,
# see docker/README.md: capabilities drop ALL, add DAC_READ_SEARCH only (SYS_ADMIN, SYS_PTRACE
# and hostPID only while a policy asks for attribution), allowPrivilegeEscalation false, read-only
# root filesystem, host paths mounted read-only under /host, /var/lib/kubefim the only writable
# host path. Tested as the operator renders it: tests/images/run.sh.
ARG BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/kubefim/kubefim
LABEL org.opencontainers.image.title="kubefim-agent" \
      org.opencontainers.image.description="KubeFIM node agent: baseline, realtime watch and scans of host paths" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

USER 0:0
COPY bin/kubefim-agent /opt/kubefim/bin/kubefim-agent
COPY node-agent/jvm/compiler-directives.json /opt/kubefim/node-agent/jvm/compiler-directives.json
COPY node-agent/target/kubefim-agent.jar /opt/kubefim/node-agent/target/kubefim-agent.jar
# The class-data sharing archive is made here, once, by the launcher's own training run: the root
# filesystem is read-only at run time, so it could not be written there.
RUN /opt/kubefim/bin/kubefim-agent --version >/dev/null && \
    test -f /opt/kubefim/node-agent/target/kubefim-agent.jsa

EXPOSE 8082
# The DaemonSet passes the arguments: run --state /var/lib/kubefim --config-url ... --node $(NODE_NAME) ...
ENTRYPOINT ["/opt/kubefim/bin/kubefim-agent"]
CMD ["--help"]
