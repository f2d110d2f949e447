package io.kubefim.ingest.pipeline;

import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Hands a batch (a group of batches, see {@link BatchGroups}) to every configured sink, in the
 * order store, azure, stdout (the sink that cannot take back what it wrote goes last, so a failure
 * earlier costs no duplicate there).
 *
 * <p>{@link #deliver} returning normally means every sink took the batch durably; a {@link
 * SinkException} (or any other exception) means one did not, and the remaining sinks were not
 * called. Threading: called by the delivery lanes ({@value #SINK_POOL}-N threads), several groups
 * at once; sinks are thread-safe.
 */
@ApplicationScoped
public class SinkDispatcher {
  /** The name of the threads the sinks run on. */
  public static final String SINK_POOL = "kubefim-sinks";

  private static final Logger LOG = Logger.getLogger(SinkDispatcher.class);

  private final List<Sink> sinks;
  private final MeterRegistry metrics;

  @Inject
  public SinkDispatcher(IngestConfig config, @Any Instance<KindedSink> all, MeterRegistry metrics) {
    this(config.sinks(), all, metrics);
  }

  /** The sinks of {@code all} whose kind is in {@code configured}, started, in kind order. */
  SinkDispatcher(Set<SinkKind> configured, Iterable<KindedSink> all, MeterRegistry metrics) {
    List<KindedSink> chosen = new ArrayList<>();
    for (KindedSink sink : all) {
      if (configured.contains(sink.kind())) {
        chosen.add(sink);
      }
    }
    chosen.sort(Comparator.comparing(KindedSink::kind));
    if (chosen.isEmpty()) {
      throw new IllegalStateException("kubefim.ingest.sinks names no sink");
    }
    chosen.forEach(KindedSink::start);
    this.sinks = List.copyOf(chosen);
    this.metrics = metrics;
    LOG.infof("sinks=%s", sinks.stream().map(Sink::name).toList());
  }

  /** A sink bean that says which {@link SinkKind} it implements. */
  public interface KindedSink extends Sink {
    SinkKind kind();

    /** Called once at start-up when the sink is configured: check settings, open clients. */
    default void start() {}
  }

  /** The configured sinks, in call order. */
  public List<Sink> sinks() {
    return sinks;
  }

  /** Every sink takes the batch, in order; the first failure is thrown. */
  public void deliver(IngestBatch batch) throws SinkException {
    for (Sink sink : sinks) {
      Timer.Sample sample = Timer.start(metrics);
      String outcome = "ok";
      try {
        sink.accept(batch);
      } catch (SinkException | RuntimeException e) {
        outcome = "failed";
        LOG.warnf(
            "sink=%s batch=%s events=%d failed: %s",
            sink.name(), batch.id(), batch.events().size(), e.getMessage());
        throw e;
      } finally {
        sample.stop(
            metrics.timer("kubefim.ingest.sink.batches", "sink", sink.name(), "outcome", outcome));
      }
    }
  }
}
