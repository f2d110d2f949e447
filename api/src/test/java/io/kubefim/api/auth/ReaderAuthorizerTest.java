package io.kubefim.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReaderAuthorizerTest {
  static final String AGENT = "system:serviceaccount:kubefim:kubefim-agent";

  final AtomicInteger tokenReviews = new AtomicInteger();
  final AtomicInteger accessReviews = new AtomicInteger();
  volatile boolean apiDown;

  final TokenReviewer tokens =
      (token, audience) -> {
        tokenReviews.incrementAndGet();
        if (apiDown) {
          throw new TokenReviewer.ReviewUnavailableException("TokenReview failed: HTTP 500", null);
        }
        return switch (token) {
          case "auditor" ->
              new TokenReviewer.Review(
                  true,
                  "system:serviceaccount:ci:auditor",
                  Map.of(),
                  null,
                  List.of("system:serviceaccounts"),
                  "u-1");
          case "agent" -> new TokenReviewer.Review(true, AGENT, Map.of(), null);
          default -> new TokenReviewer.Review(false, null, null, "invalid bearer token");
        };
      };

  final AccessReviewer access =
      (reader, verb, group, resource) -> {
        accessReviews.incrementAndGet();
        if (apiDown) {
          throw new TokenReviewer.ReviewUnavailableException(
              "SubjectAccessReview failed: HTTP 500", null);
        }
        boolean ok =
            verb.equals("get")
                && group.equals("kubefim.io")
                && resource.equals("fimevents")
                && (reader.groups().contains("auditors") || reader.name().endsWith(":auditor"));
        return new AccessReviewer.Access(ok, ok ? "RBAC: allowed" : "no RBAC policy matched");
      };

  ReaderAuthorizer authorizer(boolean rbac) {
    return new ReaderAuthorizer(
        tokens,
        access,
        null,
        List.of("kubefim:kubefim-agent"),
        rbac,
        Duration.ofSeconds(60),
        Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC));
  }

  static Reader oidc(String name, String... groups) {
    return new Reader(name, List.of(groups), null, null, Reader.Login.OIDC);
  }

  @Test
  void aKubernetesTokenBecomesAReaderWithItsGroupsAndUid() {
    ReaderDecision d = authorizer(true).login("auditor");
    assertThat(d.allowed()).isTrue();
    assertThat(d.reader().name()).isEqualTo("system:serviceaccount:ci:auditor");
    assertThat(d.reader().groups()).containsExactly("system:serviceaccounts");
    assertThat(d.reader().uid()).isEqualTo("u-1");
    assertThat(d.reader().login()).isEqualTo(Reader.Login.KUBERNETES);
  }

  @Test
  void anInvalidTokenIs401WithTheApiServersWords() {
    ReaderDecision d = authorizer(true).login("garbage");
    assertThat(d.status()).isEqualTo(401);
    assertThat(d.reason()).isEqualTo("token rejected: invalid bearer token");
  }

  @Test
  void rbacDecidesAndItsAnswerIsCached() {
    ReaderAuthorizer a = authorizer(true);
    assertThat(a.authorize(oidc("alice", "auditors")).allowed()).isTrue();
    assertThat(a.authorize(oidc("alice", "auditors")).allowed()).isTrue();
    assertThat(accessReviews).hasValue(1);
    ReaderDecision no = a.authorize(oidc("bob", "developers"));
    assertThat(no.status()).isEqualTo(403);
    assertThat(no.reason())
        .isEqualTo("bob may not get fimevents.kubefim.io (no RBAC policy matched)");
  }

  @Test
  void theSameNameInOtherGroupsIsAskedAgain() {
    ReaderAuthorizer a = authorizer(true);
    assertThat(a.authorize(oidc("alice", "auditors")).allowed()).isTrue();
    assertThat(a.authorize(oidc("alice")).allowed()).isFalse();
    assertThat(accessReviews).hasValue(2);
  }

  @Test
  void theAgentsServiceAccountNeverReadsWhateverRbacSays() {
    for (boolean rbac : List.of(true, false)) {
      ReaderAuthorizer a = authorizer(rbac);
      Reader agent = a.login("agent").reader();
      ReaderDecision d = a.authorize(agent);
      assertThat(d.status()).isEqualTo(403);
      assertThat(d.reason()).contains("agents write events, never read them");
    }
    assertThat(accessReviews).hasValue(0);
  }

  @Test
  void withoutRbacAnyLoginButTheAgentsReads() {
    ReaderAuthorizer a = authorizer(false);
    assertThat(a.authorize(oidc("bob")).allowed()).isTrue();
    assertThat(accessReviews).hasValue(0);
  }

  @Test
  void theLocalTokenIsNotAskedAbout() {
    Reader local = new Reader("kubefim:local-reader", null, null, null, Reader.Login.LOCAL);
    assertThat(authorizer(true).authorize(local).allowed()).isTrue();
    assertThat(accessReviews).hasValue(0);
  }

  @Test
  void anApiServerThatCannotBeAskedIs503AndNotCached() {
    ReaderAuthorizer a = authorizer(true);
    apiDown = true;
    assertThat(a.login("auditor").status()).isEqualTo(503);
    assertThat(a.authorize(oidc("alice", "auditors")).status()).isEqualTo(503);
    apiDown = false;
    assertThat(a.login("auditor").allowed()).isTrue();
    assertThat(a.authorize(oidc("alice", "auditors")).allowed()).isTrue();
    assertThat(tokenReviews).hasValue(2);
    assertThat(accessReviews).hasValue(2);
  }
}
