package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A file attribute whose change is reported (SPEC §2 rules[].attributes). */
public enum Attribute {
  @JsonProperty("content")
  CONTENT,
  @JsonProperty("size")
  SIZE,
  @JsonProperty("permissions")
  PERMISSIONS,
  @JsonProperty("owner")
  OWNER,
  @JsonProperty("group")
  GROUP,
  @JsonProperty("symlinkTarget")
  SYMLINK_TARGET
}
