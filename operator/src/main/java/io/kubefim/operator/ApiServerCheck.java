package io.kubefim.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The first thing the operator does: say what it was configured with, and whether it can reach the
 * Kubernetes API server. Unreachable (no answer at all: refused, no route, no DNS, no TLS), it
 * stops with one line that says so and where it looked, instead of a twenty-second wait and the
 * informer's stack trace. Any HTTP answer counts as reachable (RBAC is the informers' to report).
 * Runs before the Operator SDK starts its controllers (an earlier startup observer).
 */
@ApplicationScoped
public class ApiServerCheck {
  private static final Logger LOG = Logger.getLogger(ApiServerCheck.class);

  /** How long the API server may take to answer at all. */
  static final long TIMEOUT_SECONDS = 15;

  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored,
      KubernetesClient client,
      OperatorConfig config) {
    LOG.infof(
        "operator settings: namespace=%s agent image=%s config-service=%s leader election=%s"
            + " (lease %s)",
        config.namespace().orElse("(the pod's)"),
        config.agent().image(),
        config.configServiceUrl(),
        config.leaderElection().enabled(),
        config.leaderElection().leaseName());
    String url = String.valueOf(client.getMasterUrl());
    String problem = unreachable(client);
    if (problem != null) {
      String message =
          "cannot reach the Kubernetes API server at "
              + url
              + ": "
              + problem
              + ". The operator needs it: in a pod it uses the ServiceAccount's in-cluster"
              + " configuration, elsewhere KUBECONFIG or ~/.kube/config. Exiting.";
      LOG.error(message);
      throw new IllegalStateException(message);
    }
    LOG.infof("Kubernetes API server at %s answers", url);
  }

  /** Why the API server gives no answer at all, or null when it answers. */
  static String unreachable(KubernetesClient client) {
    CompletableFuture<Void> probe = CompletableFuture.runAsync(() -> client.getKubernetesVersion());
    try {
      probe.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (TimeoutException e) {
      probe.cancel(true);
      return "no answer within " + TIMEOUT_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KubernetesClientException k && k.getCode() > 0) {
        return null; // an HTTP answer (401, 403, 404): the server is there
      }
      return rootMessage(cause);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }
}
