# KubeFIM config-service (per-node compiled rules, heartbeats), JVM mode, the standard Quarkus fast-jar layout.
# Build the module first (mvn -pl config-service -am package -DskipTests), then, from the repository root:
#   docker build -f docker/config-service.Dockerfile -t <registry>/kubefim-config-service:<version> config-service
# The build context is the module directory: only target/quarkus-app is copied.
# Runs as UID 185 (the image's "default" user), read-only root filesystem in the chart; /tmp is
# an emptyDir there. Not built in CI (no Docker engine on the CI machines): kept correct by review.
ARG BASE_IMAGE=registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23
FROM ${BASE_IMAGE}

ENV LANGUAGE='en_US:en'

# Dependencies first (they change least), then the application. Owned by root and read-only to
# the runtime user: the process cannot rewrite its own code.
COPY target/quarkus-app/lib/ /deployments/lib/
COPY target/quarkus-app/*.jar /deployments/
COPY target/quarkus-app/app/ /deployments/app/
COPY target/quarkus-app/quarkus/ /deployments/quarkus/

EXPOSE 8081
USER 185:185

# run-java.sh sizes the heap from the container's memory limit; the JBoss log manager is what
# Quarkus logging expects; scratch files go to /tmp (an emptyDir in the chart).
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar" \
    JAVA_MAX_RAM_RATIO="75" \
    JAVA_OPTS_APPEND="-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Djava.io.tmpdir=/tmp"

ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
