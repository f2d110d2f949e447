package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A content digest recorded on events; names follow the JDK MessageDigest algorithms. */
public enum HashAlgorithm {
  @JsonProperty("sha256")
  SHA256("SHA-256"),
  @JsonProperty("sha1")
  SHA1("SHA-1"),
  @JsonProperty("md5")
  MD5("MD5");

  private final String jdkName;

  HashAlgorithm(String jdkName) {
    this.jdkName = jdkName;
  }

  /** The name to pass to {@link java.security.MessageDigest#getInstance(String)}. */
  public String jdkName() {
    return jdkName;
  }
}
