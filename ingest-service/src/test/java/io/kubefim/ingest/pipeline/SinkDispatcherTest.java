package io.kubefim.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubefim.ingest.IngestConfig.SinkKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch is acknowledged only when every configured sink took it. */
class SinkDispatcherTest {
  final List<String> calls = new ArrayList<>();

  SinkDispatcher.KindedSink sink(SinkKind kind, boolean fails) {
    return new SinkDispatcher.KindedSink() {
      @Override
      public SinkKind kind() {
        return kind;
      }

      @Override
      public String name() {
        return kind.name().toLowerCase();
      }

      @Override
      public void accept(IngestBatch batch) throws SinkException {
        calls.add(name());
        if (fails) {
          throw new SinkException(name(), "not taken", null, null);
        }
      }
    };
  }

  final IngestBatch batch = new IngestBatch("b1", List.of());

  @Test
  void everyConfiguredSinkTakesTheBatchInOrderBeforeTheAck() throws Exception {
    SinkDispatcher d =
        new SinkDispatcher(
            EnumSet.of(SinkKind.STORE, SinkKind.STDOUT, SinkKind.AZURE),
            List.of(
                sink(SinkKind.STDOUT, false),
                sink(SinkKind.AZURE, false),
                sink(SinkKind.STORE, false)),
            new SimpleMeterRegistry());
    d.deliver(batch);
    assertThat(calls).containsExactly("store", "azure", "stdout");
  }

  @Test
  void oneSinkFailingNacksAndTheLaterSinksAreNotCalled() {
    SinkDispatcher d =
        new SinkDispatcher(
            EnumSet.of(SinkKind.STORE, SinkKind.AZURE, SinkKind.STDOUT),
            List.of(
                sink(SinkKind.STORE, false),
                sink(SinkKind.AZURE, true),
                sink(SinkKind.STDOUT, false)),
            new SimpleMeterRegistry());
    assertThatThrownBy(() -> d.deliver(batch))
        .isInstanceOf(SinkException.class)
        .hasMessageContaining("azure");
    assertThat(calls).containsExactly("store", "azure");
  }

  @Test
  void aSinkThatIsNotConfiguredIsNeverCalled() throws Exception {
    SinkDispatcher d =
        new SinkDispatcher(
            EnumSet.of(SinkKind.STORE),
            List.of(sink(SinkKind.STORE, false), sink(SinkKind.STDOUT, true)),
            new SimpleMeterRegistry());
    d.deliver(batch);
    assertThat(calls).containsExactly("store");
  }
}
