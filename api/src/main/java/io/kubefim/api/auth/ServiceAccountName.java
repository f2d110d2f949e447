package io.kubefim.api.auth;

/**
 * A ServiceAccount named as the settings name it, {@code namespace:name}, and the user name the API
 * server gives its tokens ({@code system:serviceaccount:namespace:name}).
 *
 * @param namespace its namespace
 * @param name its name
 */
public record ServiceAccountName(String namespace, String name) {
  /**
   * @param setting the setting's value, {@code namespace:name}
   * @param what what the setting is, for the message (e.g. "agent service account")
   * @throws IllegalArgumentException when it is not {@code namespace:name}
   */
  public static ServiceAccountName parse(String setting, String what) {
    String[] sa = setting == null ? new String[0] : setting.split(":", 2);
    if (sa.length != 2 || sa[0].isBlank() || sa[1].isBlank()) {
      throw new IllegalArgumentException(what + " must be namespace:name, got '" + setting + "'");
    }
    return new ServiceAccountName(sa[0], sa[1]);
  }

  /** The user name of its tokens in TokenReviews and SubjectAccessReviews. */
  public String user() {
    return "system:serviceaccount:" + namespace + ":" + name;
  }
}
