package io.kubefim.ingest.receive;

/** The body as a whole cannot be read as a batch (broken JSON array, broken gzip): 400. */
public class MalformedBodyException extends Exception {
  public MalformedBodyException(String message) {
    super(message);
  }
}
