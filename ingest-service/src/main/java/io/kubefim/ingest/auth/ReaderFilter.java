package io.kubefim.ingest.auth;

import io.kubefim.api.auth.Reader;
import io.kubefim.api.auth.ReaderDecision;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Deny by default: every JAX-RS route of ingest-service says who may call it with {@link Access};
 * one without it is refused to everyone. A {@code READER} route asks who the caller is (the lazy
 * authentication of {@link ReaderLoginMechanism} and quarkus-oidc): nobody → the challenge (401 for
 * the API, the login for a browser); somebody → {@link Readers#authorize} on a worker thread (the
 * agents' ServiceAccount never; RBAC in {@code rbac} mode) → 403 with the reason, or 503 with
 * Retry-After when the API server cannot be asked (fail closed). Refusals are logged with the user
 * and reason, never a token.
 */
@ApplicationScoped
public class ReaderFilter {
  private static final Logger LOG = Logger.getLogger(ReaderFilter.class);

  private final Readers readers;
  private final CurrentIdentityAssociation identities;

  @Inject
  public ReaderFilter(Readers readers, CurrentIdentityAssociation identities) {
    this.readers = readers;
    this.identities = identities;
  }

  @ServerRequestFilter
  public Uni<Response> check(ContainerRequestContext ctx, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    Access access = method == null ? null : method.getAnnotation(Access.class);
    if (access == null) {
      return Uni.createFrom()
          .item(deny(ReaderDecision.deny(403, "this route is open to no caller", null), ctx));
    }
    if (access.value() != Access.Caller.READER || readers.mode() == ReadersConfig.Mode.open) {
      return Uni.createFrom().nullItem(); // agents: EventsResource checks their token itself
    }
    return identities
        .getDeferredIdentity()
        .flatMap(
            id -> {
              if (id.isAnonymous()) {
                return Uni.createFrom().failure(new UnauthorizedException());
              }
              ReaderDecision refused = id.getAttribute(Readers.REFUSED);
              if (refused != null) {
                return Uni.createFrom().item(deny(refused, ctx));
              }
              Reader reader = readers.readerOf(id);
              return Uni.createFrom()
                  .item(() -> readers.authorize(reader))
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .map(d -> d.allowed() ? null : deny(d, ctx));
            });
  }

  private static Response deny(ReaderDecision d, ContainerRequestContext ctx) {
    String who = d.reader() == null ? "-" : d.reader().name();
    LOG.infof(
        "read refused: path=%s user=%s status=%d reason=%s",
        ctx.getUriInfo().getPath(), who, d.status(), d.reason());
    Response.ResponseBuilder r = Response.status(d.status());
    if (d.status() == 401) {
      r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"kubefim\"");
    } else if (d.status() == 503) {
      r.header("Retry-After", "5");
    }
    if (Readers.wantsPage(ctx.getUriInfo().getPath(), ctx.getHeaderString(HttpHeaders.ACCEPT))) {
      return r.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
          .entity(LoginPages.refused(d.status(), d.reason()))
          .build();
    }
    return r.type(MediaType.APPLICATION_JSON)
        .entity(Map.of("status", d.status(), "error", d.reason()))
        .build();
  }
}
