package io.kubefim.ingest.auth;

import io.kubefim.api.auth.AgentAuthenticator;
import io.kubefim.api.auth.Reader;
import io.kubefim.api.auth.ReaderDecision;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Logs readers in with what is not OIDC: the local token (bearer, or the session cookie {@code
 * /login} made from it) and Kubernetes bearer tokens (a TokenReview on a worker thread). A bearer
 * token of the OIDC issuer, or a request without credentials, is left to quarkus-oidc (code flow,
 * bearer). Runs before it (higher priority), so its challenge decides what a caller without a login
 * gets: the API ({@code /v1/...}, CSV, anything that does not ask for HTML) a 401 with {@code
 * WWW-Authenticate: Bearer}; a browser the OIDC login when OIDC is on, else {@code /login}.
 *
 * <p>Authentication is lazy ({@code quarkus.http.auth.proactive=false}): it runs only when {@link
 * ReaderFilter} asks who a reader is, never for health, metrics or the agents' {@code POST}.
 */
@ApplicationScoped
public class ReaderLoginMechanism implements HttpAuthenticationMechanism {
  private final Readers readers;

  @Inject
  public ReaderLoginMechanism(Readers readers) {
    this.readers = readers;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(RoutingContext ctx, IdentityProviderManager ipm) {
    String token = AgentAuthenticator.bearer(ctx.request().getHeader("Authorization"));
    if (token != null) {
      if (readers.isLocalToken(token)) {
        return Uni.createFrom().item(identity(Readers.local()));
      }
      if (readers.isOidcToken(token) || !readers.kubernetesTokens()) {
        return Uni.createFrom().nullItem(); // quarkus-oidc's, or refused for want of a login
      }
      return Uni.createFrom()
          .item(() -> readers.login(token))
          .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
          .map(d -> d.allowed() ? identity(d.reader()) : refused(d));
    }
    Cookie session = ctx.request().getCookie(Readers.COOKIE);
    if (session != null && readers.sessions().valid(session.getValue())) {
      return Uni.createFrom().item(identity(Readers.local()));
    }
    return Uni.createFrom().nullItem();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext ctx) {
    if (!Readers.wantsPage(ctx.normalizedPath(), ctx.request().getHeader("Accept"))) {
      return Uni.createFrom()
          .item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"kubefim\""));
    }
    if (readers.oidc()) {
      return Uni.createFrom().nullItem(); // quarkus-oidc redirects to the issuer
    }
    String next = URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8);
    return Uni.createFrom().item(new ChallengeData(302, "Location", "/login?next=" + next));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(); // identities are made here, not by an IdentityProvider
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext ctx) {
    return Uni.createFrom().nullItem();
  }

  @Override
  public int getPriority() {
    return DEFAULT_PRIORITY + 100;
  }

  /**
   * A token the API server refused (401) or could not review (503), as an identity that carries the
   * refusal for {@link ReaderFilter} to answer in its own words (a failed authentication would
   * reach the client as a bare challenge, without the reason or the 503).
   */
  static SecurityIdentity refused(ReaderDecision d) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal("refused"))
        .addAttribute(Readers.REFUSED, d)
        .build();
  }

  static SecurityIdentity identity(Reader reader) {
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(reader.name()))
        .addAttribute(Readers.READER, reader)
        .build();
  }
}
