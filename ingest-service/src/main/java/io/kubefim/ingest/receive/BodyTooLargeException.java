package io.kubefim.ingest.receive;

/** The request body (after decompression) or the batch exceeds a configured limit: 413. */
public class BodyTooLargeException extends Exception {
  public BodyTooLargeException(String message) {
    super(message);
  }
}
