package io.kubefim.config.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.auth.AgentAuthorizer;
import io.kubefim.api.auth.AgentAuthorizers;
import io.kubefim.api.auth.AuthConfig;
import io.kubefim.api.auth.AuthDecision;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /v1/nodes/{node}/...} request must come from that node's agent. The TokenReview (a
 * blocking call to the API server, cached) runs on a worker thread, never on the event loop. Fail
 * closed: when the API server cannot be asked, the answer is 503 with Retry-After.
 */
@ApplicationScoped
public class AgentAuthFilter {
  private static final Logger LOG = Logger.getLogger(AgentAuthFilter.class);

  private final AgentAuthorizer authorizer;

  @Inject
  public AgentAuthFilter(AuthConfig config, Instance<KubernetesClient> client) {
    this.authorizer = AgentAuthorizers.create(config, client::get);
    if (config.mode() == AgentAuthorizers.Mode.none) {
      LOG.warn(
          "agent authentication is OFF (kubefim.auth.mode=none): any caller may act for any node");
    }
  }

  @ServerRequestFilter
  public Uni<Response> authenticate(ContainerRequestContext ctx) {
    String node = ctx.getUriInfo().getPathParameters().getFirst("node");
    if (node == null || authorizer == AgentAuthorizer.OPEN) {
      return Uni.createFrom().nullItem();
    }
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    return Uni.createFrom()
        .item(() -> authorizer.authorize(header, node))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(d -> d.allowed() ? null : deny(d, node));
  }

  private static Response deny(AuthDecision d, String node) {
    LOG.infof("agent request refused: node=%s status=%d reason=%s", node, d.status(), d.reason());
    Response.ResponseBuilder r =
        Response.status(d.status())
            .type(MediaType.APPLICATION_JSON)
            .entity(Map.of("status", d.status(), "error", d.reason()));
    if (d.status() == 401) {
      r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    } else if (d.status() == 503) {
      r.header("Retry-After", "5");
    }
    return r.build();
  }
}
