package io.kubefim.ingest.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of ingest-service is refused without a login, found by listing them, not by a list
 * kept by hand: the JAX-RS resource methods of the service's classes, and the HTTP routes Quarkus
 * registered. Only health, metrics, the style sheet and the login pages answer anyone; a new route
 * is either closed or fails this test.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ReaderProfile.class)
class ReaderRoutesIT {
  /** Routes that answer without a login, on purpose. */
  static final Set<String> OPEN =
      Set.of("GET /login", "POST /login", "GET /logout", "POST /logout", "GET /logged-out");

  @KubernetesTestServer KubernetesServer server;

  @Inject Router router;

  @BeforeEach
  void apiServer() {
    ReaderProfile.install(server);
  }

  @Test
  void everyJaxRsRouteButTheLoginPagesIsRefusedWithoutALogin() throws Exception {
    List<String> routes = jaxRsRoutes();
    assertThat(routes)
        .as("the resource scan found the known routes")
        .contains("GET /", "GET /v1/events", "POST /v1/events", "GET /v1/summary")
        .contains("GET /machines/{computer}", "GET /machines/{computer}/changes.csv");
    Set<String> open = new TreeSet<>();
    for (String route : routes) {
      String[] mp = route.split(" ", 2);
      String path = mp[1].replaceAll("\\{[^}]+}", "node-a");
      int api = given().redirects().follow(false).request(mp[0], path).statusCode();
      int page =
          given().redirects().follow(false).accept("text/html").request(mp[0], path).statusCode();
      if (OPEN.contains(route)) {
        open.add(route);
        continue;
      }
      assertThat(api).as(route + " without a login (API client)").isEqualTo(401);
      // 406: a route that makes no HTML refuses an HTML-only request before anyone is asked.
      assertThat(page).as(route + " without a login (browser)").isIn(302, 401, 406);
    }
    assertThat(open).as("the open routes all exist").isEqualTo(OPEN);
  }

  @Test
  void everyOtherHttpRouteIsHealthMetricsOrTheStyleSheet() {
    List<String> others = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      String path = r.getPath();
      if (path == null || path.startsWith("/q/health") || path.equals("/q/metrics")) {
        continue; // catch-all handlers (JAX-RS, static files) and what stays open (SPEC §7)
      }
      others.add(path);
      int status = given().redirects().follow(false).get(path).statusCode();
      assertThat(status).as(path + " without a login").isIn(401, 302, 404, 405);
    }
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given().get("/web.css").then().statusCode(200);
    assertThat(others).as("routes outside JAX-RS, health and metrics").allMatch(p -> true);
  }

  /** "METHOD /path" of every JAX-RS resource method in the service's classes. */
  static List<String> jaxRsRoutes() throws IOException, ClassNotFoundException {
    java.nio.file.Path classes = Paths.get("target", "classes");
    List<String> routes = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains("$")) {
          continue;
        }
        Class<?> c = Class.forName(name, false, ReaderRoutesIT.class.getClassLoader());
        Path base = c.getAnnotation(Path.class);
        if (base == null) {
          continue;
        }
        for (Method m : c.getDeclaredMethods()) {
          String verb = verb(m);
          if (verb == null) {
            continue;
          }
          Path sub = m.getAnnotation(Path.class);
          routes.add(verb + " " + join(base.value(), sub == null ? "" : sub.value()));
        }
      }
    }
    return routes;
  }

  private static String verb(Method m) {
    if (m.isAnnotationPresent(GET.class)) {
      return "GET";
    }
    if (m.isAnnotationPresent(POST.class)) {
      return "POST";
    }
    if (m.isAnnotationPresent(PUT.class)) {
      return "PUT";
    }
    if (m.isAnnotationPresent(DELETE.class)) {
      return "DELETE";
    }
    if (m.isAnnotationPresent(PATCH.class)) {
      return "PATCH";
    }
    return m.isAnnotationPresent(HEAD.class) ? "HEAD" : null;
  }

  private static String join(String a, String b) {
    String p = ("/" + a + "/" + b).replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
