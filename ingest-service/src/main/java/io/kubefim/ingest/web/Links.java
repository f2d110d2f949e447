package io.kubefim.ingest.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** URLs of the pages. Pure. */
final class Links {
  private Links() {}

  static String machine(String computer) {
    return "/machines/" + encode(computer);
  }

  /** {@code base} with the non-blank parameters, in the given order. */
  static String with(String base, Map<String, String> params) {
    String q =
        params.entrySet().stream()
            .filter(p -> p.getValue() != null && !p.getValue().isBlank())
            .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
            .collect(Collectors.joining("&"));
    return q.isEmpty() ? base : base + "?" + q;
  }

  static Map<String, String> params(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
