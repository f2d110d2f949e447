package io.kubefim.ingest.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may read events (SPEC §7), prefix {@code kubefim.readers}: the web page, {@code GET
 * /v1/events}, {@code /v1/summary} and the CSV downloads. OpenID Connect itself is {@code
 * quarkus.oidc.*} (off unless {@code quarkus.oidc.tenant-enabled=true}); docs/security.md has the
 * whole picture.
 */
@ConfigMapping(prefix = "kubefim.readers")
public interface ReadersConfig {
  /** How a reader is let in. */
  enum Mode {
    /**
     * A login (OIDC, a Kubernetes token, or the local token), then a SubjectAccessReview for {@code
     * get} on {@code fimevents.kubefim.io}: cluster RBAC decides (the default).
     */
    rbac,
    /** Any valid login may read; for local mode and clusters without RBAC for readers. */
    login,
    /** Nobody logs in: tests and trusted networks only; logged loudly at start. */
    open
  }

  /** How a reader is let in. */
  @WithDefault("rbac")
  Mode mode();

  /** Accept Kubernetes bearer tokens (checked with a TokenReview) from readers. */
  @WithDefault("true")
  boolean kubernetesTokens();

  /**
   * The audience a reader's Kubernetes token must carry; absent: the API server's own (what {@code
   * kubectl create token} gives). Agents' tokens (audience {@code kubefim}) then fail the review.
   */
  Optional<String> tokenAudience();

  /**
   * A file holding the local reader token ({@code ./kubefim up}): a bearer token, and the login
   * link {@code /login?token=...} that turns it into a session cookie. Absent: no local token.
   */
  Optional<Path> tokenFile();

  /** How long a session made from the local token lasts. */
  @WithDefault("8h")
  Duration sessionTtl();

  /** How an OIDC login becomes a user and groups for the SubjectAccessReview. */
  Oidc oidc();

  /** Claims to Kubernetes user and groups, named as kube-apiserver's {@code --oidc-*} flags. */
  interface Oidc {
    /** The claim that is the user name (kube-apiserver's default: {@code sub}). */
    @WithDefault("sub")
    String usernameClaim();

    /** Put before the user name, as the API server is told to (e.g. {@code oidc:}); none. */
    Optional<String> usernamePrefix();

    /** The claim with the user's groups (a list or one string). */
    @WithDefault("groups")
    String groupsClaim();

    /** Put before each group name; none. */
    Optional<String> groupsPrefix();
  }
}
