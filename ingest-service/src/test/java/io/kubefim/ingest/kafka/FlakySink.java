package io.kubefim.ingest.kafka;

import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test sink delivered with the store (kind STORE) that refuses batches while a test wants it to:
 * the relay must retry, not skip. Present only where {@code kubefim.test.flaky-sink=true} ({@link
 * KafkaRelayProfile}); otherwise it is not looked up, so other tests never see it.
 */
@ApplicationScoped
@LookupIfProperty(name = "kubefim.test.flaky-sink", stringValue = "true")
public class FlakySink implements SinkDispatcher.KindedSink {
  /** Batches still to refuse; negative: refuse until set otherwise. */
  static final AtomicInteger refuse = new AtomicInteger();

  /** Batches refused so far. */
  static final AtomicInteger refused = new AtomicInteger();

  @Override
  public SinkKind kind() {
    return SinkKind.STORE;
  }

  @Override
  public String name() {
    return "flaky-test";
  }

  @Override
  public void accept(IngestBatch batch) throws SinkException {
    int left = refuse.getAndUpdate(n -> n > 0 ? n - 1 : n);
    if (left != 0) {
      refused.incrementAndGet();
      throw new SinkException(name(), "refused on purpose (" + left + " left)", null, null);
    }
  }
}
