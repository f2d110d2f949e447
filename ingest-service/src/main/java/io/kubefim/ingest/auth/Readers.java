package io.kubefim.ingest.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubefim.api.auth.AuthConfig;
import io.kubefim.api.auth.KubernetesTokenReviewer;
import io.kubefim.api.auth.Reader;
import io.kubefim.api.auth.ReaderAuthorizer;
import io.kubefim.api.auth.ReaderDecision;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The readers' side of ingest-service in one place (SPEC §7, docs/security.md): which logins are on
 * (OIDC, Kubernetes tokens, the local token), who a login is as a {@link Reader}, and whether that
 * reader may read ({@link ReaderAuthorizer}: the agents' ServiceAccount never, then RBAC in {@code
 * rbac} mode). Thread-safe; {@link #login} and {@link #authorize} block (API server calls).
 */
@ApplicationScoped
public class Readers {
  private static final Logger LOG = Logger.getLogger(Readers.class);

  /** The attribute of a {@link SecurityIdentity} that carries the {@link Reader}. */
  static final String READER = "kubefim.reader";

  /** The attribute of a {@link SecurityIdentity} that carries a refused login's decision. */
  static final String REFUSED = "kubefim.refused";

  /** The local session cookie. */
  static final String COOKIE = "kubefim-session";

  private final ReadersConfig config;
  private final byte[] localToken;
  private final LocalSessions sessions;
  private final boolean oidc;
  private final List<String> oidcIssuers;
  private final ReaderAuthorizer authorizer;

  @Inject
  public Readers(
      ReadersConfig config,
      AuthConfig agents,
      Instance<KubernetesClient> client,
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
          boolean oidcEnabled,
      @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> oidcServer,
      @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> oidcIssuer) {
    this.config = config;
    this.localToken = config.tokenFile().map(Readers::read).orElse(null);
    this.sessions = new LocalSessions(config.sessionTtl(), 10_000, Clock.systemUTC());
    this.oidc = oidcEnabled && oidcServer.isPresent();
    List<String> issuers = new ArrayList<>();
    oidcServer.map(Readers::trimSlash).ifPresent(issuers::add);
    oidcIssuer.map(Readers::trimSlash).ifPresent(issuers::add);
    this.oidcIssuers = List.copyOf(issuers);
    boolean needsApi = config.mode() == ReadersConfig.Mode.rbac || config.kubernetesTokens();
    KubernetesTokenReviewer api =
        needsApi && config.mode() != ReadersConfig.Mode.open
            ? new KubernetesTokenReviewer(client.get())
            : null;
    this.authorizer =
        new ReaderAuthorizer(
            api,
            api,
            config.tokenAudience().orElse(null),
            List.of(agents.agentServiceAccount()),
            config.mode() == ReadersConfig.Mode.rbac,
            agents.cacheTtl(),
            Clock.systemUTC());
    switch (config.mode()) {
      case open ->
          LOG.warn(
              "reader authentication is OFF (kubefim.readers.mode=open): anyone who reaches this"
                  + " service reads every event");
      case login -> LOG.infof("readers: any login may read (logins: %s)", logins());
      case rbac ->
          LOG.infof(
              "readers: a login (%s), then RBAC: get %s.%s",
              logins(), ReaderAuthorizer.RESOURCE, ReaderAuthorizer.GROUP);
    }
  }

  ReadersConfig.Mode mode() {
    return config.mode();
  }

  boolean oidc() {
    return oidc;
  }

  boolean kubernetesTokens() {
    return config.kubernetesTokens();
  }

  boolean hasLocalToken() {
    return localToken != null;
  }

  LocalSessions sessions() {
    return sessions;
  }

  /** Whether {@code token} is the local reader token (constant time). */
  boolean isLocalToken(String token) {
    return localToken != null
        && token != null
        && MessageDigest.isEqual(localToken, token.trim().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether a bearer token is for the OIDC mechanism: a JWT whose (unverified) issuer is the
   * configured OIDC issuer. Only a routing decision: the OIDC mechanism verifies it; any other
   * token goes to the TokenReview, so an OIDC access token never reaches the API server.
   */
  boolean isOidcToken(String token) {
    if (!oidc) {
      return false;
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].length() > 16_384) {
      return false;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      var node = io.kubefim.api.json.Json.mapper().readTree(payload);
      String iss = node == null || node.get("iss") == null ? null : node.get("iss").asText();
      return iss != null && oidcIssuers.contains(trimSlash(iss));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** TokenReview of a reader's Kubernetes token (blocking, cached). */
  ReaderDecision login(String token) {
    return authorizer.login(token);
  }

  /** May this reader read (blocking, cached)? */
  ReaderDecision authorize(Reader reader) {
    return authorizer.authorize(reader);
  }

  /**
   * The name a logged-in reader acts under (who marked changes reviewed), the same name RBAC was
   * asked about; empty for an anonymous identity or a refused login.
   */
  public Optional<String> loginName(SecurityIdentity identity) {
    if (identity == null || identity.isAnonymous() || identity.getAttribute(REFUSED) != null) {
      return Optional.empty();
    }
    return Optional.of(readerOf(identity).name());
  }

  /** The reader an authenticated identity is: ours carry it, OIDC's are made from their claims. */
  Reader readerOf(SecurityIdentity identity) {
    Reader r = identity.getAttribute(READER);
    if (r != null) {
      return r;
    }
    ReadersConfig.Oidc o = config.oidc();
    String userPrefix = o.usernamePrefix().orElse("");
    String groupPrefix = o.groupsPrefix().orElse("");
    String name = identity.getPrincipal().getName();
    List<String> groups = new ArrayList<>();
    if (identity.getPrincipal() instanceof JsonWebToken jwt) {
      Object claim = jwt.getClaim(o.usernameClaim());
      if (claim != null) {
        name = unquote(claim.toString());
      }
      Object g = jwt.getClaim(o.groupsClaim());
      if (g instanceof Collection<?> c) {
        c.forEach(x -> groups.add(groupPrefix + unquote(x.toString())));
      } else if (g != null) {
        groups.add(groupPrefix + unquote(g.toString()));
      }
    }
    return new Reader(userPrefix + name, groups, null, null, Reader.Login.OIDC);
  }

  /**
   * Whether a request is a browser asking for a page, not the API ({@code /v1/...}) or a download
   * ({@code .csv}): it gets a login redirect and HTML refusals, the rest 401s and JSON.
   */
  static boolean wantsPage(String path, String accept) {
    return !path.startsWith("/v1/")
        && !path.endsWith(".csv")
        && accept != null
        && accept.contains("text/html");
  }

  static Reader local() {
    return new Reader("kubefim:local-reader", List.of(), null, null, Reader.Login.LOCAL);
  }

  private String logins() {
    List<String> l = new ArrayList<>();
    if (oidc) {
      l.add("OIDC");
    }
    if (config.kubernetesTokens()) {
      l.add("Kubernetes token");
    }
    if (localToken != null) {
      l.add("local token");
    }
    return l.isEmpty() ? "none configured: nobody can read" : String.join(", ", l);
  }

  /** jakarta.json values print with their quotes. */
  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static byte[] read(java.nio.file.Path p) {
    try {
      String t = Files.readString(p).trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("kubefim.readers.token-file: " + p + " is empty");
      }
      return t.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("kubefim.readers.token-file: cannot read " + p, e);
    }
  }
}
