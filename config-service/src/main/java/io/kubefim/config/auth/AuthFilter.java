package io.kubefim.config.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.auth.AgentAuthorizer;
import io.kubefim.api.auth.AgentAuthorizers;
import io.kubefim.api.auth.AuthConfig;
import io.kubefim.api.auth.AuthDecision;
import io.kubefim.api.auth.KubernetesTokenReviewer;
import io.kubefim.api.auth.ServiceAccountAuthorizer;
import io.kubefim.config.ConfigServiceConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Deny by default: every JAX-RS route of config-service needs a valid token, and whose token it
 * must be is declared on the resource method with {@link Access}. {@code AGENT} routes ({@code
 * /v1/nodes/{node}/...}) take only that node's agent; {@code OPERATOR} routes (the rollout) take
 * only the operator's ServiceAccount ({@code kubefim.config.operator-service-account}), or the
 * shared token in local mode. A method without {@link Access} is refused to every caller. Health
 * and metrics ({@code /q/...}) are not JAX-RS routes: they never reach this filter and stay open.
 *
 * <p>TokenReviews (blocking calls to the API server, cached) run on a worker thread, never on the
 * event loop. Fail closed: when the API server cannot be asked, the answer is 503 with Retry-After.
 */
@ApplicationScoped
public class AuthFilter {
  private static final Logger LOG = Logger.getLogger(AuthFilter.class);

  private final AgentAuthorizer agents;
  private final AgentAuthorizer operator;

  @Inject
  public AuthFilter(
      AuthConfig config, ConfigServiceConfig settings, Instance<KubernetesClient> client) {
    this.agents = AgentAuthorizers.create(config, client::get);
    this.operator =
        switch (config.mode()) {
          case none, sharedToken -> agents; // open, or the one local token
          case tokenreview ->
              new ServiceAccountAuthorizer(
                  new KubernetesTokenReviewer(client.get()),
                  config.audience(),
                  settings.operatorServiceAccount(),
                  config.cacheTtl(),
                  Clock.systemUTC());
        };
    if (config.mode() == AgentAuthorizers.Mode.none) {
      LOG.warn(
          "authentication is OFF (kubefim.auth.mode=none): any caller may act for any node"
              + " and read every rollout");
    }
  }

  @ServerRequestFilter
  public Uni<Response> authenticate(ContainerRequestContext ctx, ResourceInfo resource) {
    if (agents == AgentAuthorizer.OPEN) {
      return Uni.createFrom().nullItem();
    }
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    Method method = resource.getResourceMethod();
    Access access = method == null ? null : method.getAnnotation(Access.class);
    String node = ctx.getUriInfo().getPathParameters().getFirst("node");
    AgentAuthorizer authorizer;
    String actsFor;
    if (access != null && access.value() == Access.Caller.OPERATOR) {
      authorizer = operator;
      actsFor = null;
    } else if (access != null && access.value() == Access.Caller.AGENT && node != null) {
      authorizer = agents;
      actsFor = node;
    } else {
      // No access rule (or an agent route without {node}): nobody may call it.
      authorizer =
          (h, n) ->
              h == null || h.isBlank()
                  ? AuthDecision.deny(401, "a bearer token is required")
                  : AuthDecision.deny(403, "this route is open to no caller");
      actsFor = null;
    }
    AgentAuthorizer chosen = authorizer;
    return Uni.createFrom()
        .item(() -> chosen.authorize(header, actsFor))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(d -> d.allowed() ? null : deny(d, ctx.getUriInfo().getPath()));
  }

  private static Response deny(AuthDecision d, String path) {
    LOG.infof("request refused: path=%s status=%d reason=%s", path, d.status(), d.reason());
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
