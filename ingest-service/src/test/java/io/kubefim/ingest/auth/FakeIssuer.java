package io.kubefim.ingest.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * An OpenID Connect issuer with its own RSA key, enough for quarkus-oidc's code flow and bearer
 * tokens: discovery, JWKS, an authorization endpoint that logs in the user named by {@link
 * #loginAs} (no form: the browser test's issuer has one), a token endpoint that checks the client
 * secret and the code, and an end-session endpoint that counts logouts. Tokens for bearer tests
 * come from {@link #token}. Runs on a JDK HttpServer on a free port.
 */
final class FakeIssuer implements AutoCloseable {
  static final String CLIENT_ID = "kubefim-web";
  static final String CLIENT_SECRET = "test-client-secret";

  private final HttpServer server;
  private final KeyPair keys;
  private final String issuer;
  private final Map<String, Map<String, Object>> codes = new ConcurrentHashMap<>();
  private volatile String user = "alice@example.com";
  private volatile List<String> groups = List.of("fim-readers");
  final AtomicInteger logouts = new AtomicInteger();
  final AtomicInteger tokenRequests = new AtomicInteger();

  FakeIssuer() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    keys = g.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    server.createContext("/realms/test/.well-known/openid-configuration", this::discovery);
    server.createContext("/realms/test/jwks", this::jwks);
    server.createContext("/realms/test/authorize", this::authorize);
    server.createContext("/realms/test/token", this::token);
    server.createContext("/realms/test/logout", this::logout);
    server.start();
  }

  String issuer() {
    return issuer;
  }

  /** Who the next code-flow login is. */
  void loginAs(String user, List<String> groups) {
    this.user = user;
    this.groups = List.copyOf(groups);
  }

  /** A signed access token of this issuer for {@code user}, valid for five minutes. */
  String token(String user, List<String> groups) {
    return sign(claims(user, groups, CLIENT_ID, null));
  }

  /** A token signed by another key: the right issuer, a forged signature. */
  String forged(String user) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims(user, List.of(), CLIENT_ID, null).toJson());
    jws.setKey(g.generateKeyPair().getPrivate());
    jws.setKeyIdHeaderValue("k1");
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    return jws.getCompactSerialization();
  }

  private JwtClaims claims(String user, List<String> groups, String audience, String nonce) {
    JwtClaims c = new JwtClaims();
    c.setIssuer(issuer);
    c.setSubject(user);
    c.setAudience(audience);
    c.setIssuedAtToNow();
    c.setExpirationTimeMinutesInTheFuture(5);
    c.setStringClaim("preferred_username", user);
    c.setStringListClaim("groups", groups);
    if (nonce != null) {
      c.setStringClaim("nonce", nonce);
    }
    return c;
  }

  private String sign(JwtClaims claims) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims.toJson());
      jws.setKey(keys.getPrivate());
      jws.setKeyIdHeaderValue("k1");
      jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private void discovery(HttpExchange x) throws IOException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", issuer);
    d.put("authorization_endpoint", issuer + "/authorize");
    d.put("token_endpoint", issuer + "/token");
    d.put("jwks_uri", issuer + "/jwks");
    d.put("end_session_endpoint", issuer + "/logout");
    d.put("response_types_supported", List.of("code"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    json(x, 200, d);
  }

  private void jwks(HttpExchange x) throws IOException {
    RSAPublicKey k = (RSAPublicKey) keys.getPublic();
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    Map<String, Object> key =
        Map.of(
            "kty", "RSA",
            "kid", "k1",
            "use", "sig",
            "alg", "RS256",
            "n", b.encodeToString(unsigned(k.getModulus().toByteArray())),
            "e", b.encodeToString(unsigned(k.getPublicExponent().toByteArray())));
    json(x, 200, Map.of("keys", List.of(key)));
  }

  private void authorize(HttpExchange x) throws IOException {
    Map<String, String> q = form(x.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(q.get("client_id")) || q.get("redirect_uri") == null) {
      json(x, 400, Map.of("error", "invalid_request"));
      return;
    }
    String code = UUID.randomUUID().toString();
    Map<String, Object> grant = new HashMap<>();
    grant.put("user", user);
    grant.put("groups", groups);
    grant.put("redirect_uri", q.get("redirect_uri"));
    grant.put("nonce", q.get("nonce"));
    codes.put(code, grant);
    String sep = q.get("redirect_uri").contains("?") ? "&" : "?";
    String to =
        q.get("redirect_uri")
            + sep
            + "code="
            + code
            + (q.get("state") == null ? "" : "&state=" + enc(q.get("state")));
    redirect(x, to);
  }

  @SuppressWarnings("unchecked")
  private void token(HttpExchange x) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> f =
        form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String auth = x.getRequestHeaders().getFirst("Authorization");
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    boolean clientOk =
        basic.equals(auth)
            || (CLIENT_ID.equals(f.get("client_id"))
                && CLIENT_SECRET.equals(f.get("client_secret")));
    if (!clientOk) {
      json(x, 401, Map.of("error", "invalid_client"));
      return;
    }
    Map<String, Object> grant = codes.remove(String.valueOf(f.get("code")));
    if (!"authorization_code".equals(f.get("grant_type"))
        || grant == null
        || !grant.get("redirect_uri").equals(f.get("redirect_uri"))) {
      json(x, 400, Map.of("error", "invalid_grant"));
      return;
    }
    String u = (String) grant.get("user");
    List<String> g = (List<String>) grant.get("groups");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", sign(claims(u, g, CLIENT_ID, null)));
    answer.put("id_token", sign(claims(u, g, CLIENT_ID, (String) grant.get("nonce"))));
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 300);
    json(x, 200, answer);
  }

  private void logout(HttpExchange x) throws IOException {
    logouts.incrementAndGet();
    Map<String, String> q = form(x.getRequestURI().getRawQuery());
    String back = q.get("post_logout_redirect_uri");
    if (back == null) {
      json(x, 200, Map.of("loggedOut", true));
    } else {
      redirect(x, back);
    }
  }

  private static byte[] unsigned(byte[] b) {
    return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void redirect(HttpExchange x, String to) throws IOException {
    x.getResponseHeaders().add("Location", to);
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private static void json(HttpExchange x, int status, Object body) throws IOException {
    byte[] b = Json.mapper().writeValueAsBytes(body);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Epoch seconds now, for claims checks in tests. */
  static long now() {
    return Instant.now().getEpochSecond();
  }
}
