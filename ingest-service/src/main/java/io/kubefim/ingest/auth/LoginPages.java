package io.kubefim.ingest.auth;

/** The small HTML pages of logging in and out; every value in them is escaped. */
final class LoginPages {
  private LoginPages() {}

  static String form(String next, String error) {
    String message =
        error == null ? "" : "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
    return page(
        "Log in",
        "<h1>Log in</h1>"
            + message
            + "<p>Paste the reader token (<code>.kubefim/reader-token</code> in local mode), or"
            + " open the login link <code>./kubefim up</code> printed.</p>"
            + "<form method=\"post\" action=\"/login\">"
            + "<input type=\"hidden\" name=\"next\" value=\""
            + esc(next)
            + "\"><label for=\"token\">Token</label> "
            + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required>"
            + " <button type=\"submit\">Log in</button></form>");
  }

  static String loggedOut() {
    return page("Logged out", "<h1>Logged out</h1><p><a href=\"/\">Log in again</a></p>");
  }

  static String noLogin() {
    return page(
        "No login",
        "<h1>No way to log in</h1><p>This ingest-service has neither OIDC nor a local reader"
            + " token configured (docs/security.md).</p>");
  }

  static String refused(int status, String reason) {
    String title = status == 403 ? "Not allowed" : status == 503 ? "Try again" : "Not logged in";
    return page(
        title,
        "<h1>"
            + title
            + "</h1><p id=\"reason\">"
            + esc(reason)
            + "</p><form method=\"post\" action=\"/logout\"><button type=\"submit\">Log"
            + " out</button></form>");
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + esc(title)
        + " · KubeFIM</title><link rel=\"stylesheet\" href=\"/web.css\"></head><body><header><a"
        + " href=\"/\" class=\"brand\">KubeFIM</a> <span>file integrity monitoring</span></header>"
        + "<main>"
        + body
        + "</main></body></html>";
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
