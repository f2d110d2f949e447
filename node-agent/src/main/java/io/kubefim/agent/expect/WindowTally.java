package io.kubefim.agent.expect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.agent.baseline.EntryWrite;
import io.kubefim.agent.engine.ChangeWriter;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.expect.ExpectationLabeller.OpenWindow;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.Expectation;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What changed inside each maintenance window, and the one {@code MaintenanceWindowClosed} Agent
 * event a window writes when it ends (issue 17, docs/agent.md).
 *
 * <p>A {@link ChangeWriter} in front of the store's: every batch that holds File or Registry events
 * labelled by a window is written with the window's new counts (meta {@value #META_KEY}) in the
 * same transaction, so after a crash the counts are those of the events on disk, neither more nor
 * less. {@link #closeEnded} (the engine's loop, about once a second) starts tracking the windows
 * that are open, and for each tracked window that ended (or that the config no longer opens) writes
 * its summary and drops it from the meta, again in one transaction. A window that ended while the
 * agent was down is summarized when it starts.
 *
 * <p>Counts are by ChangeType and by directory: the parent of a file's path, a registry change's
 * key. At most {@value #MAX_DIRECTORIES} directories are listed per window; changes in further ones
 * are counted in {@code otherDirectories}. Engine thread only (as {@link ChangeWriter}).
 */
public final class WindowTally implements ChangeWriter {
  /** Meta key of the open windows' counts (JSON). */
  public static final String META_KEY = "expected_windows";

  static final int MAX_DIRECTORIES = 200;
  private static final Logger LOG = Logger.getLogger(WindowTally.class.getName());
  private static final ObjectMapper JSON = Json.mapper();
  private static final TypeReference<TreeMap<String, Tally>> STATE = new TypeReference<>() {};

  private final ChangeWriter store;
  private final ExpectationLabeller labeller;
  private final EventFactory events;
  private Map<String, Tally> open;

  /**
   * One window occurrence being counted. Mutable only in a copy ({@link #copy}).
   *
   * @param policy the policy that declares the window
   * @param window its name ({@code adhoc} for the annotation's)
   * @param opened when it opened (the ad-hoc window: when the agent first saw it open)
   * @param ends when it closes
   * @param changes labelled changes counted
   * @param byChangeType count per ChangeType
   * @param byDirectory count per directory, at most {@link #MAX_DIRECTORIES}
   * @param otherDirectories changes in directories beyond that
   */
  public record Tally(
      String policy,
      String window,
      Instant opened,
      Instant ends,
      long changes,
      Map<String, Long> byChangeType,
      Map<String, Long> byDirectory,
      long otherDirectories) {
    public Tally {
      byChangeType = byChangeType == null ? new TreeMap<>() : new TreeMap<>(byChangeType);
      byDirectory = byDirectory == null ? new TreeMap<>() : new TreeMap<>(byDirectory);
    }

    Tally counted(String changeType, String directory) {
      Map<String, Long> types = new TreeMap<>(byChangeType);
      types.merge(changeType, 1L, Long::sum);
      Map<String, Long> dirs = new TreeMap<>(byDirectory);
      long other = otherDirectories;
      if (dirs.containsKey(directory) || dirs.size() < MAX_DIRECTORIES) {
        dirs.merge(directory, 1L, Long::sum);
      } else {
        other++;
      }
      return new Tally(policy, window, opened, ends, changes + 1, types, dirs, other);
    }
  }

  /**
   * @param store the writer that commits (the store's)
   * @param labeller the labeller of the agent's events, which says which window labelled one
   * @param events makes the summaries (and says the time)
   * @param saved meta {@value #META_KEY} of the state database, null when none
   */
  public WindowTally(
      ChangeWriter store, ExpectationLabeller labeller, EventFactory events, String saved) {
    this.store = store;
    this.labeller = labeller;
    this.events = events;
    this.open = load(saved);
  }

  private static Map<String, Tally> load(String saved) {
    if (saved == null || saved.isBlank()) {
      return new TreeMap<>();
    }
    try {
      return JSON.readValue(saved, STATE);
    } catch (IOException e) {
      // the counts are a summary, the events themselves are in the outbox: start over, say so
      LOG.log(Level.WARNING, "maintenance window counts unreadable, reset error={0}", e.toString());
      return new TreeMap<>();
    }
  }

  /** The windows being counted (for tests and status). */
  public Map<String, Tally> open() {
    return Map.copyOf(open);
  }

  @Override
  public void write(List<EntryWrite> writes, List<FimEvent> batch, Map<String, String> meta)
      throws IOException {
    Map<String, Tally> next = null;
    for (FimEvent e : batch) {
      if (e.getMonitoredEntityType() == EntityType.Agent
          || !Boolean.TRUE.equals(e.getExpectation().getChangeExpected())) {
        continue;
      }
      OpenWindow w = labeller.windowOf(e);
      if (w == null
          || !Expectation.window(w.occurrence().name())
              .equals(e.getExpectation().getExpectedReason())) {
        continue; // labelled by a package manager or a process, not by a window
      }
      if (next == null) {
        next = new TreeMap<>(open);
      }
      String key = key(w);
      Tally t = next.get(key);
      if (t == null) {
        t = started(w, e.getTimeGenerated());
      }
      next.put(key, t.counted(String.valueOf(e.getChangeType()), directoryOf(e)));
    }
    if (next == null) {
      store.write(writes, batch, meta);
      return;
    }
    Map<String, String> withCounts = new LinkedHashMap<>(meta);
    withCounts.put(META_KEY, json(next));
    store.write(writes, batch, withCounts);
    open = next; // committed
  }

  /**
   * Starts counting the windows open now, and writes the summary of each counted window that ended
   * or that the config in force no longer opens. Engine thread.
   */
  public void closeEnded() throws IOException {
    Instant now = events.now();
    Map<String, Tally> next = new TreeMap<>(open);
    Set<String> openNow = new HashSet<>();
    boolean changed = false;
    for (OpenWindow w : labeller.allOpenAt(now)) {
      String key = key(w);
      openNow.add(key);
      if (!next.containsKey(key)) {
        next.put(key, started(w, now));
        changed = true;
      }
    }
    List<FimEvent> summaries = new ArrayList<>();
    for (var it = next.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Tally> t = it.next();
      boolean ended = !now.isBefore(t.getValue().ends());
      if (ended || !openNow.contains(t.getKey())) {
        summaries.add(summary(t.getValue(), ended ? t.getValue().ends() : now));
        it.remove();
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    store.write(List.of(), summaries, Map.of(META_KEY, json(next)));
    open = next;
  }

  private static Tally started(OpenWindow w, Instant now) {
    Instant opened = w.occurrence().opened() == null ? now : w.occurrence().opened();
    return new Tally(
        w.policy(), w.occurrence().name(), opened, w.occurrence().ends(), 0, Map.of(), Map.of(), 0);
  }

  /** One occurrence: policy, window and when it opens (the ad-hoc window: when it ends). */
  private static String key(OpenWindow w) {
    var o = w.occurrence();
    return w.policy()
        + "\u0000"
        + o.name()
        + "\u0000"
        + Objects.requireNonNullElse(o.opened(), o.ends());
  }

  private FimEvent summary(Tally t, Instant closed) throws JsonProcessingException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("policy", t.policy());
    d.put("window", t.window());
    d.put("opened", t.opened().toString());
    d.put("closed", closed.toString());
    d.put("changes", t.changes());
    d.put("byChangeType", t.byChangeType());
    d.put("byDirectory", t.byDirectory());
    if (t.otherDirectories() > 0) {
      d.put("otherDirectories", t.otherDirectories());
    }
    FimEvent e =
        events
            .agent(ChangeType.MaintenanceWindowClosed, JSON.writeValueAsString(d), null)
            .setPolicyNames(List.of(t.policy()));
    e.getExpectation().expect(Expectation.window(t.window()));
    LOG.log(
        Level.INFO,
        "maintenance window closed policy={0} window={1} changes={2}",
        new Object[] {t.policy(), t.window(), t.changes()});
    return e;
  }

  /** The parent directory of a file's path (either separator), a registry change's key. */
  static String directoryOf(FimEvent e) {
    if (e.getMonitoredEntityType() == EntityType.Registry) {
      String key = e.getRegistry().getKey();
      return key == null ? "" : key;
    }
    String p = e.getFilePath();
    if (p == null) {
      return "";
    }
    int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
    if (cut < 0) {
      return p;
    }
    return cut == 0 ? p.substring(0, 1) : p.substring(0, cut);
  }

  private static String json(Map<String, Tally> state) throws JsonProcessingException {
    return JSON.writeValueAsString(state);
  }
}
