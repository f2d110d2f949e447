package io.kubefim.ingest.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.auth.AgentAuthorizer;
import io.kubefim.api.auth.AgentAuthorizers;
import io.kubefim.api.auth.AuthConfig;
import io.kubefim.api.auth.AuthDecision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Who may post events (SPEC §7): an agent's projected ServiceAccount token, and only events of its
 * own node. The check is blocking (a cached TokenReview); call it from a worker thread.
 */
@ApplicationScoped
public class AgentAuth {
  private static final Logger LOG = Logger.getLogger(AgentAuth.class);
  private final AgentAuthorizer authorizer;

  @Inject
  public AgentAuth(AuthConfig config, Instance<KubernetesClient> client) {
    this.authorizer = AgentAuthorizers.create(config, client::get);
    if (config.mode() == AgentAuthorizers.Mode.none) {
      LOG.warn(
          "agent authentication is OFF (kubefim.auth.mode=none): anyone may post events for any"
              + " node");
    }
  }

  /** Who the caller is; {@link AuthDecision#node()} is the node it may report for (any if null). */
  public AuthDecision identify(String authorization) {
    AuthDecision d = authorizer.authorize(authorization, null);
    if (!d.allowed()) {
      LOG.infof("event batch refused: status=%d reason=%s", d.status(), d.reason());
    }
    return d;
  }
}
