package io.kubefim.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubefim.api.policy.FimPolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events about FimPolicies (core/v1 Event, involvedObject the policy). Written to the
 * operator's namespace, since a cluster-scoped object has none and the operator's RBAC stays
 * namespaced; {@code kubectl describe fimp NAME} and {@code kubectl get events -A} show them.
 *
 * <p>Best effort: a failure to write an event is logged and swallowed, never fails a reconcile.
 */
public class PolicyEvents {
  /** Reason of the Warning event for a policy the operator rejects. */
  public static final String INVALID_POLICY = "InvalidPolicy";

  static final String COMPONENT = "kubefim-operator";
  private static final Logger LOG = Logger.getLogger(PolicyEvents.class);

  private final KubernetesClient client;
  private final String namespace;

  public PolicyEvents(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A Warning {@value #INVALID_POLICY} event for {@code policy} with {@code message}. */
  public void invalidPolicy(FimPolicy policy, String message) {
    warn(policy, INVALID_POLICY, message);
  }

  private void warn(FimPolicy policy, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String name =
        policy.getMetadata().getName()
            + "."
            + Long.toHexString(System.currentTimeMillis()).toLowerCase(Locale.ROOT)
            + Long.toHexString(System.nanoTime() & 0xfff);
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(FimPolicy.API_VERSION)
            .withKind(FimPolicy.KIND)
            .withName(policy.getMetadata().getName())
            .withUid(policy.getMetadata().getUid())
            .withResourceVersion(policy.getMetadata().getResourceVersion())
            .endInvolvedObject()
            .withType("Warning")
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not record event %s for policy %s: %s",
          reason, policy.getMetadata().getName(), e.getMessage());
    }
  }
}
