package io.kubefim.agent.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.engine.StoreChangeWriter;
import io.kubefim.agent.spool.SpoolOverflow;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded outbox: oldest events dropped, one CoverageGap with count and time range. */
class SpoolLimitTest {
  static final long LIMIT = 8 * 1024;
  @TempDir Path tmp;
  Fixture fx;
  StoreChangeWriter writer;
  long second;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
    fx.store.limitOutbox(new SpoolOverflow(new EventFactory("node-a", Clock.systemUTC()), LIMIT));
    writer = new StoreChangeWriter(fx.store, e -> {});
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
  }

  /** Writes {@code n} agent events, one second apart from 2025-01-01T00:00:00Z on. */
  List<FimEvent> write(int n) throws IOException {
    List<FimEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EventFactory f =
          new EventFactory(
              "node-a",
              Clock.fixed(
                  Instant.parse("2025-01-01T00:00:00Z").plusSeconds(second++), ZoneOffset.UTC));
      FimEvent e = f.agent(ChangeType.RescanCompleted, "event " + "x".repeat(100), null);
      writer.write(List.of(), List.of(e), Map.of());
      out.add(e);
    }
    return out;
  }

  @Test
  void underTheLimitNothingIsDropped() throws IOException {
    write(10);
    assertThat(fx.store.outboxDepth()).isEqualTo(10);
    assertThat(fx.store.outboxDropped()).isZero();
  }

  @Test
  void fullSpoolDropsTheOldestAndSaysSoOnce() throws IOException {
    List<FimEvent> written = write(60); // ~300 bytes each: about twice the limit

    assertThat(fx.store.outboxBytes()).isLessThanOrEqualTo(LIMIT);
    List<FimEvent> left = fx.drain();
    List<FimEvent> gaps =
        left.stream().filter(e -> e.getChangeType() == ChangeType.CoverageGap).toList();
    assertThat(gaps).isNotEmpty();
    long droppedSaid = 0;
    for (FimEvent g : gaps) {
      assertThat(g.getErrorMessage()).isEqualTo(SpoolOverflow.CODE);
      var m =
          java.util.regex.Pattern.compile("dropped (\\d+) oldest events from (\\S+) to (\\S+)")
              .matcher(g.getDetails());
      assertThat(m.find()).as(g.getDetails()).isTrue();
      droppedSaid = Math.max(droppedSaid, Long.parseLong(m.group(1)));
      assertThat(m.group(2)).isEqualTo("2025-01-01T00:00:00Z"); // from the very first event
    }
    // the newest events are kept, the oldest went, and every one is accounted for
    List<String> keptIds =
        left.stream()
            .filter(e -> e.getChangeType() != ChangeType.CoverageGap)
            .map(FimEvent::getEventId)
            .toList();
    assertThat(keptIds).contains(written.get(written.size() - 1).getEventId());
    assertThat(keptIds).doesNotContain(written.get(0).getEventId());
    assertThat(droppedSaid + keptIds.size()).isEqualTo(written.size());
    // the notices fold into one: at most one is left at any time
    assertThat(gaps).hasSize(1);
    assertThat(fx.store.outboxDropped()).isEqualTo(droppedSaid);
  }

  @Test
  void theLimitSurvivesARestart() throws IOException {
    write(60);
    long bytes = fx.store.outboxBytes();
    long depth = fx.store.outboxDepth();
    fx.reopen();
    assertThat(fx.store.outboxBytes()).isEqualTo(bytes);
    assertThat(fx.store.outboxDepth()).isEqualTo(depth);
  }
}
