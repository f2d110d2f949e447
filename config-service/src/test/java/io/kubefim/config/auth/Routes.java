package io.kubefim.config.auth;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the JAX-RS routes of the compiled main classes by reflection: every class under the code
 * source of {@code anchor} with {@code @Path}, every method of it with an HTTP method annotation.
 */
final class Routes {
  private Routes() {}

  /** {method, path template} for every route, e.g. {"GET", "/v1/nodes/{node}/config"}. */
  static List<String[]> all(Class<?> anchor) throws IOException, URISyntaxException {
    java.nio.file.Path root =
        Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String[]> out = new ArrayList<>();
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace('/', '.');
        name = name.substring(0, name.length() - ".class".length());
        Class<?> c;
        try {
          c = Class.forName(name, false, anchor.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        Path base = c.getAnnotation(Path.class);
        if (base == null) {
          continue;
        }
        for (Method m : c.getDeclaredMethods()) {
          String verb = httpMethod(m);
          if (verb != null) {
            Path sub = m.getAnnotation(Path.class);
            out.add(new String[] {verb, join(base.value(), sub == null ? "" : sub.value())});
          }
        }
      }
    }
    return out;
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
      if (h != null) {
        return h.value();
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    String right = b.isEmpty() || b.startsWith("/") ? b : "/" + b;
    return (left.startsWith("/") ? left : "/" + left) + right;
  }
}
