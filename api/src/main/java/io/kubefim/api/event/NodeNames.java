package io.kubefim.api.event;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The event column Computer is a Kubernetes node name: a DNS-1123 subdomain, the API server's own
 * rule for Node names (lowercase letters, digits, '-' and '.', labels starting and ending with a
 * letter or digit, at most 253 characters). ingest-service refuses anything else; the agent makes
 * one from the host name when it has no node name.
 */
public final class NodeNames {
  /** Longest node name. */
  public static final int MAX = 253;

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private NodeNames() {}

  /** True for a name the API server would accept for a Node. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX && DNS1123_SUBDOMAIN.matcher(name).matches();
  }

  /**
   * A node name made from a host name (local mode: no Kubernetes to name the node): lower-cased,
   * other characters turned into '-', labels trimmed of what may not start or end them; {@code
   * localhost} when nothing is left.
   */
  public static String fromHostname(String host) {
    String s = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    for (String label : s.replaceAll("[^a-z0-9.-]", "-").split("\\.")) {
      String l = label.replaceAll("^-+|-+$", "");
      if (!l.isEmpty()) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(l);
      }
    }
    String name =
        out.length() > MAX ? out.substring(0, MAX).replaceAll("[.-]+$", "") : out.toString();
    return isValid(name) ? name : "localhost";
  }
}
