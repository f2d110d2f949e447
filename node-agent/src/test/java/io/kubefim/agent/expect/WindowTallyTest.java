package io.kubefim.agent.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.agent.engine.ChangeWriter;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.expect.ExpectedChangeRealtimeIT.MovableClock;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentConfig.Window;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The counts of a maintenance window are committed with the events they count, and its end writes
 * one MaintenanceWindowClosed with them, also after a restart from the saved state.
 */
class WindowTallyTest {
  private static final AppliedPolicy NIGHTLY =
      new AppliedPolicy(
          "p", 1, List.of(new Window("nightly", "0 2 * * *", 3600, "UTC")), null, List.of());

  /** The store's writer as the tally sees it: every committed batch, and a meta map. */
  static final class Committed implements ChangeWriter {
    final List<FimEvent> events = new ArrayList<>();
    final Map<String, String> meta = new HashMap<>();
    final List<List<FimEvent>> batches = new ArrayList<>();
    boolean fail;

    @Override
    public void write(List<EntryWrite> writes, List<FimEvent> batch, Map<String, String> m)
        throws IOException {
      if (fail) {
        throw new IOException("disk full");
      }
      events.addAll(batch);
      batches.add(List.copyOf(batch));
      meta.putAll(m);
    }

    List<FimEvent> closed() {
      return events.stream()
          .filter(e -> e.getChangeType() == ChangeType.MaintenanceWindowClosed)
          .toList();
    }
  }

  private final MovableClock clock = new MovableClock(Instant.parse("2026-05-06T02:10:00Z"));
  private final AtomicReference<AgentConfig> config = new AtomicReference<>(config(NIGHTLY));
  private final ExpectationLabeller labeller =
      new ExpectationLabeller(config::get, Path.of("/host"));
  private final EventFactory events = new EventFactory("node-a", clock);

  {
    events.labelWith(labeller);
  }

  private static AgentConfig config(AppliedPolicy... policies) {
    return new AgentConfig(AgentConfig.FORMAT_VERSION, "v", "node-a", List.of(policies), List.of());
  }

  private FimEvent change(String path, String exe) {
    FimEvent e =
        events
            .agent(ChangeType.Modified, null, null)
            .setMonitoredEntityType(EntityType.File)
            .setDetectionSource(DetectionSource.Realtime)
            .setFilePath(path)
            .setPolicyNames(List.of("p"));
    e.getAttribution().setProcessImageFilePath(exe);
    return events.labelled(e);
  }

  @Test
  void aWindowThatEndsWritesOneSummaryOfWhatChangedInsideItByDirectory() throws Exception {
    Committed store = new Committed();
    WindowTally tally = new WindowTally(store, labeller, events, null);

    tally.closeEnded(); // 02:10: the window is open, counting starts
    assertThat(tally.open()).hasSize(1);
    tally.write(
        List.of(),
        List.of(
            change("/usr/bin/ls", "/usr/bin/vim"),
            change("/usr/bin/cat", null),
            change("/etc/hosts", "/usr/bin/dpkg")),
        Map.of());
    clock.now.set(Instant.parse("2026-05-06T02:59:59Z"));
    tally.closeEnded();
    assertThat(store.closed()).isEmpty();

    clock.now.set(Instant.parse("2026-05-06T03:00:00Z")); // the window ends
    FimEvent outside = change("/usr/bin/ls", "/usr/bin/vim");
    assertThat(outside.getExpectation().isEmpty()).isTrue();
    tally.write(List.of(), List.of(outside), Map.of());
    tally.closeEnded();
    tally.closeEnded(); // once only

    assertThat(store.closed()).hasSize(1);
    FimEvent closed = store.closed().get(0);
    assertThat(closed.getMonitoredEntityType()).isEqualTo(EntityType.Agent);
    assertThat(closed.getExpectation().getChangeExpected()).isTrue();
    assertThat(closed.getExpectation().getExpectedReason()).isEqualTo("MaintenanceWindow:nightly");
    assertThat(closed.getPolicyNames()).containsExactly("p");
    JsonNode d = Json.mapper().readTree(closed.getDetails());
    assertThat(d.get("policy").asText()).isEqualTo("p");
    assertThat(d.get("window").asText()).isEqualTo("nightly");
    assertThat(d.get("opened").asText()).isEqualTo("2026-05-06T02:00:00Z");
    assertThat(d.get("closed").asText()).isEqualTo("2026-05-06T03:00:00Z");
    assertThat(d.get("changes").asLong()).isEqualTo(3);
    assertThat(d.get("byChangeType").get("Modified").asLong()).isEqualTo(3);
    assertThat(d.get("byDirectory").get("/usr/bin").asLong()).isEqualTo(2);
    assertThat(d.get("byDirectory").get("/etc").asLong()).isEqualTo(1);
    assertThat(d.has("otherDirectories")).isFalse();
    assertThat(tally.open()).isEmpty();
    // the summary and the meta without the window were one write
    List<FimEvent> last = store.batches.get(store.batches.size() - 1);
    assertThat(last).containsExactly(closed);
    assertThat(store.meta.get(WindowTally.META_KEY)).isEqualTo("{}");
  }

  @Test
  void afterARestartTheCountsAreThoseCommittedAndAWindowThatEndedMeanwhileIsSummarized()
      throws Exception {
    Committed store = new Committed();
    WindowTally before = new WindowTally(store, labeller, events, null);
    before.write(List.of(), List.of(change("/etc/a", null), change("/etc/b", null)), Map.of());
    store.fail = true; // the disk refuses the next batch: nothing of it is counted
    assertThatThrownBy(() -> before.write(List.of(), List.of(change("/etc/c", null)), Map.of()))
        .isInstanceOf(IOException.class);
    store.fail = false;

    // the agent is killed; it starts again after the window ended
    clock.now.set(Instant.parse("2026-05-06T09:00:00Z"));
    WindowTally after =
        new WindowTally(store, labeller, events, store.meta.get(WindowTally.META_KEY));
    after.closeEnded();

    assertThat(store.closed()).hasSize(1);
    JsonNode d = Json.mapper().readTree(store.closed().get(0).getDetails());
    assertThat(d.get("changes").asLong()).isEqualTo(2);
    assertThat(d.get("closed").asText()).isEqualTo("2026-05-06T03:00:00Z");
  }

  @Test
  void aWindowTheConfigNoLongerOpensIsSummarizedWhenItGoesAndTheAdhocOneToo() throws Exception {
    Committed store = new Committed();
    config.set(
        config(
            new AppliedPolicy(
                "p",
                1,
                List.of(new Window("nightly", "0 2 * * *", 3600, "UTC")),
                "2026-05-06T05:00:00Z",
                List.of())));
    WindowTally tally = new WindowTally(store, labeller, events, null);
    tally.closeEnded();
    FimEvent adhoc = change("/etc/a", null);
    assertThat(adhoc.getExpectation().getExpectedReason()).isEqualTo("adhoc");
    tally.write(List.of(), List.of(adhoc), Map.of());
    assertThat(tally.open()).hasSize(2); // both open; the adhoc one labels

    clock.now.set(Instant.parse("2026-05-06T02:20:00Z"));
    config.set(config(new AppliedPolicy("p", 2))); // windows and annotation removed
    tally.closeEnded();

    assertThat(store.closed())
        .extracting(e -> e.getExpectation().getExpectedReason())
        .containsExactlyInAnyOrder("adhoc", "MaintenanceWindow:nightly");
    FimEvent a =
        store.closed().stream()
            .filter(e -> e.getExpectation().getExpectedReason().equals("adhoc"))
            .findFirst()
            .orElseThrow();
    JsonNode d = Json.mapper().readTree(a.getDetails());
    assertThat(d.get("changes").asLong()).isEqualTo(1);
    assertThat(d.get("opened").asText()).isEqualTo("2026-05-06T02:10:00Z"); // first seen open
    assertThat(d.get("closed").asText()).isEqualTo("2026-05-06T02:20:00Z"); // went early
    assertThat(tally.open()).isEmpty();
  }

  @Test
  void directoriesBeyondTheLimitAreCountedApart() throws Exception {
    Committed store = new Committed();
    WindowTally tally = new WindowTally(store, labeller, events, null);
    List<FimEvent> many = new ArrayList<>();
    for (int i = 0; i < WindowTally.MAX_DIRECTORIES + 5; i++) {
      many.add(change("/srv/d" + i + "/f", null));
    }
    many.add(change("/srv/d0/g", null)); // a listed directory still counts in its own line
    tally.write(List.of(), many, Map.of());
    clock.now.set(Instant.parse("2026-05-06T03:00:00Z"));
    tally.closeEnded();

    JsonNode d = Json.mapper().readTree(store.closed().get(0).getDetails());
    assertThat(d.get("changes").asLong()).isEqualTo(WindowTally.MAX_DIRECTORIES + 6);
    assertThat(d.get("byDirectory").size()).isEqualTo(WindowTally.MAX_DIRECTORIES);
    assertThat(d.get("byDirectory").get("/srv/d0").asLong()).isEqualTo(2);
    assertThat(d.get("otherDirectories").asLong()).isEqualTo(5);
  }

  @Test
  void theDirectoryOfAWindowsPathAndOfARegistryChange() {
    FimEvent f = new FimEvent().setMonitoredEntityType(EntityType.File);
    assertThat(WindowTally.directoryOf(f.setFilePath("C:\\Windows\\System32\\drivers\\x.sys")))
        .isEqualTo("C:\\Windows\\System32\\drivers");
    assertThat(WindowTally.directoryOf(f.setFilePath("/vmlinuz"))).isEqualTo("/");
    FimEvent r = new FimEvent().setMonitoredEntityType(EntityType.Registry);
    r.getRegistry().setKey("SYSTEM\\CurrentControlSet\\Services\\Tcpip");
    assertThat(WindowTally.directoryOf(r)).isEqualTo("SYSTEM\\CurrentControlSet\\Services\\Tcpip");
  }
}
