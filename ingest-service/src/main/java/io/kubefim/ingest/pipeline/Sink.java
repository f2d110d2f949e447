package io.kubefim.ingest.pipeline;

/**
 * A destination of accepted batches. Contract: {@link #accept} blocks until the batch is durable in
 * the sink (a committed transaction, a 204 from Azure, a flushed stream) and returns normally only
 * then; anything else throws {@link SinkException}. Called from the sink worker pool, possibly by
 * several threads at once; implementations are thread-safe. Must tolerate events it already took
 * (retries after a partial failure): dedup or at-least-once, said per sink.
 */
public interface Sink {
  /** The name used in logs, metrics and health. */
  String name();

  /** Takes the batch durably or throws. */
  void accept(IngestBatch batch) throws SinkException;
}
