package io.kubefim.api.glob;

/** A pattern that is not a valid KubeFIM glob; the message says why, without the field path. */
public final class GlobSyntaxException extends IllegalArgumentException {
  public GlobSyntaxException(String message) {
    super(message);
  }
}
