package io.kubefim.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The operator's settings, all under {@code kubefim.operator}. See docs/operator.md. */
@ConfigMapping(prefix = "kubefim.operator")
public interface OperatorConfig {
  /**
   * Namespace of the agent DaemonSet, its ServiceAccount and the operator's Events. Absent: the
   * namespace the Kubernetes client runs in (the operator's own), else {@code kubefim}.
   */
  Optional<String> namespace();

  /**
   * Base URL of config-service as the operator reaches it, for {@code GET
   * /v1/policies/{name}/rollout}. Also handed to the agents unless {@code agent.config-url} says
   * otherwise.
   */
  @WithDefault("http://kubefim-config-service:8081")
  String configServiceUrl();

  /**
   * The operator's ServiceAccount token sent to config-service with every rollout request (a
   * projected token with audience {@code kubefim}; the chart mounts it at {@code
   * /var/run/secrets/kubefim/token}). Read on every request, as the kubelet rotates it. Absent: no
   * token is sent (config-service with {@code kubefim.auth.mode=none}).
   */
  Optional<Path> configServiceTokenFile();

  /**
   * PEM bundle of the CAs the operator trusts for an {@code https} config-service URL (a private
   * CA; the chart mounts {@code agent.caBundle.configMap} at {@code /etc/kubefim/ca}). The operator
   * then trusts exactly those CAs, not the JVM's as well ({@code io.kubefim.api.tls.PemTrust}).
   * Read once at start: a missing, empty or garbled file stops the start with a message naming it;
   * a rotated bundle applies at the next restart. Absent: the JVM's trusted CAs.
   */
  Optional<Path> configServiceCaFile();

  /** How often each policy's status is refreshed from config-service's rollout. */
  @WithDefault("10s")
  Duration rolloutPollInterval();

  /** Connect and read timeout of one rollout request; a reconcile thread waits at most this. */
  @WithDefault("5s")
  Duration rolloutTimeout();

  /** The agent DaemonSet. */
  Agent agent();

  /** Leader election among operator replicas. */
  LeaderElection leaderElection();

  /**
   * Leader election through a coordination.k8s.io Lease in the operator's namespace ({@code
   * kubefim.operator.namespace}): only the replica holding the Lease runs reconcilers. See
   * docs/operator.md.
   */
  interface LeaderElection {
    /** False: every replica reconciles (run exactly one replica then). */
    @WithDefault("true")
    boolean enabled();

    /** Name of the Lease. */
    @WithDefault("kubefim-operator")
    String leaseName();

    /** This replica's identity in the Lease; absent: the HOSTNAME (the pod name), else a UUID. */
    Optional<String> identity();

    /** How long a Lease not renewed stays with its holder before another replica may take it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /**
     * How long the leader keeps trying to renew before it gives up leadership (and exits); shorter
     * than the lease duration, so that it stops before another replica can take over.
     */
    @WithDefault("10s")
    Duration renewDeadline();

    /** Interval between attempts to acquire or renew the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Settings of the rendered agent DaemonSet. */
  interface Agent {
    /** The node-agent image of the Linux DaemonSet. */
    @WithDefault("ghcr.io/kubefim/kubefim-agent:0.1.0")
    String image();

    /**
     * The node-agent image of the Windows DaemonSet ({@code kubefim-agent-windows}, a HostProcess
     * pod, rendered only while some policy targets Windows nodes). It must hold a Java 17 runtime
     * at {@code kubefim\bin\java.exe} and the agent at {@code kubefim\kubefim-agent.jar}; this
     * project builds no Windows image (docs/operator.md).
     */
    @WithDefault("ghcr.io/kubefim/kubefim-agent-windows:0.1.0")
    String windowsImage();

    /** imagePullPolicy of the agent container; absent: the Kubernetes default. */
    Optional<String> imagePullPolicy();

    /** config-service URL the agents use; absent: {@code kubefim.operator.config-service-url}. */
    Optional<String> configUrl();

    /** ingest-service URL the agents post events to. */
    @WithDefault("http://kubefim-ingest-service:8080")
    String ingestUrl();

    /** priorityClassName of the agent pods (e.g. system-node-critical); absent: none. */
    Optional<String> priorityClassName();

    /** CPU request of the agent container. */
    @WithDefault("50m")
    String cpuRequest();

    /** Memory request of the agent container. */
    @WithDefault("128Mi")
    String memoryRequest();

    /** CPU limit of the agent container; absent: none (a hashing burst is not throttled). */
    Optional<String> cpuLimit();

    /** Memory limit of the agent container. */
    @WithDefault("512Mi")
    String memoryLimit();

    /**
     * ConfigMap in the agents' namespace holding the PEM bundle of the CAs the agents trust for
     * https config-service and ingest-service URLs (a private CA; cert-manager trust-manager's
     * Bundle target); mounted read-only and passed as {@code --ca-file}. Absent: the JVM's CAs.
     */
    Optional<String> caBundleConfigMap();

    /** The key of the bundle in that ConfigMap. */
    @WithDefault("ca.crt")
    String caBundleKey();

    /**
     * Tolerations for every agent pod, as a JSON list of Kubernetes Toleration objects (e.g. {@code
     * [{"key":"CriticalAddonsOnly","operator":"Exists"}]}), united with the tolerations of the
     * policies.
     */
    Optional<String> tolerations();

    /**
     * Whether the agent pods may get what {@code spec.attribution} needs ({@code hostPID: true},
     * capabilities SYS_ADMIN and SYS_PTRACE) while a live, not paused policy asks for it. False:
     * never; such policies show the condition {@code Attribution=False}, reason {@code NotAllowed},
     * and their changes are recorded without who made them.
     */
    @WithDefault("true")
    boolean allowAttribution();
  }
}
