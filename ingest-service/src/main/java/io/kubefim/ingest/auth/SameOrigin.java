package io.kubefim.ingest.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The cross-site request forgery check of the state-changing routes (marking changes reviewed): the
 * request's {@code Origin}, or else its {@code Referer}, must name this service's own host (the
 * {@code Host} header, or {@code X-Forwarded-Host} behind a proxy; a page on another site cannot
 * set either). Browsers send Origin with every form POST; a browser request with neither header is
 * refused. Session cookies are SameSite too (Strict for the local login, Lax for OIDC): this is the
 * second lock. Pure.
 */
public final class SameOrigin {
  private SameOrigin() {}

  /**
   * Why the request is refused, or empty when it comes from this service's pages.
   *
   * @param required false for API clients (scripts send no Origin): only a present Origin or
   *     Referer is checked
   */
  public static Optional<String> problem(
      String origin, String referer, String host, String forwardedHost, boolean required) {
    String from;
    String header;
    if (origin != null && !origin.isBlank()) {
      from = origin.trim();
      header = "Origin";
    } else if (referer != null && !referer.isBlank()) {
      from = referer.trim();
      header = "Referer";
    } else {
      return required
          ? Optional.of("the request has no Origin or Referer: send the form from this site's page")
          : Optional.empty();
    }
    String authority = authority(from);
    if (authority == null) {
      return Optional.of(header + " \"" + abbreviate(from) + "\" names no host");
    }
    if (authority.equals(normalize(host)) || authority.equals(normalize(forwardedHost))) {
      return Optional.empty();
    }
    return Optional.of(header + " " + abbreviate(from) + " is another site than this service");
  }

  /** host[:port] of an absolute http(s) URL, lowercase; null when it has none ("null" origins). */
  static String authority(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || u.getHost() == null) {
        return null;
      }
      return u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String normalize(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.trim();
    int comma = h.indexOf(','); // X-Forwarded-Host: the first (client-facing) proxy's
    if (comma >= 0) {
      h = h.substring(0, comma).trim();
    }
    return h.toLowerCase(Locale.ROOT);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
