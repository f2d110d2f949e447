package io.kubefim.ingest.receive;

/**
 * A request body did not fit in the admission's byte budget ({@code max-in-flight-bytes}) while it
 * was read: the pipeline is full, answer 429 with Retry-After (not 413: the same body fits later).
 */
public class BodyOverBudgetException extends Exception {
  public BodyOverBudgetException(String message) {
    super(message);
  }
}
