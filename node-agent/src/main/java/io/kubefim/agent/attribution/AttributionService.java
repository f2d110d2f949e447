package io.kubefim.agent.attribution;

import io.kubefim.agent.config.RuleSet;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.health.Workers;
import io.kubefim.agent.scan.HostFs;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.glob.HostPaths;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The attribution lifecycle on a node: opens the fanotify group when the first rule asks for
 * attribution, marks the file systems of the rule roots as the rules change, and says why it cannot
 * attribute when it cannot (no CAP_SYS_ADMIN, an old kernel, a root that cannot be marked, the
 * agent outside the host pid namespace). That never stops detection: inotify and scans go on, and
 * events are reported without their writer.
 *
 * <p>Threading: {@link #update} and {@link #takeEvents} on the engine thread; {@link
 * #unavailable()} from any thread.
 */
public final class AttributionService implements Closeable {
  /** ErrorMessage of the PolicyApplied event that says attribution is unavailable. */
  public static final String UNAVAILABLE = "ATTRIBUTION_UNAVAILABLE";

  /** ErrorMessage of the CoverageGap of a fanotify queue overflow. */
  public static final String OVERFLOW = "ATTRIBUTION_OVERFLOW";

  private static final Logger LOG = Logger.getLogger(AttributionService.class.getName());
  private final RuleSet rules;
  private final HostFs fs;
  private final Workers workers;
  private final Attributor attributor;
  private FanotifySource source;
  private String openFailure;
  private Map<String, String> markProblems = Map.of();
  private volatile List<String> roots = List.of();
  private volatile String unavailable;
  private String reported;
  private long overflowsReported;

  public AttributionService(
      RuleSet rules, HostFs fs, ProcReader proc, PodDirectory pods, Workers workers) {
    this.rules = rules;
    this.fs = fs;
    this.workers = workers;
    this.attributor =
        new Attributor(rules, proc, accounts(fs, proc), pods, System::currentTimeMillis);
  }

  /** The host's passwd: through pid 1's root (hostPID), else under the host root. */
  private static Accounts accounts(HostFs fs, ProcReader proc) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(proc.root().resolve("1/root/etc/passwd"));
    candidates.add(fs.hostRoot().resolve("etc/passwd"));
    return new Accounts(candidates, System::currentTimeMillis);
  }

  /** What the engine's EventFactory calls for realtime events. */
  public Attributor attributor() {
    return attributor;
  }

  /**
   * Follows the rules: opens the group on first need, marks new roots' file systems, unmarks old
   * ones. Engine thread.
   */
  public void update() {
    List<String> want = rules.attributionRoots();
    roots = want;
    if (want.isEmpty() && source == null) {
      unavailable = null;
      return;
    }
    if (source == null && openFailure == null) {
      FanotifySource.Opened o = FanotifySource.open(fs, this::dirRelevant, attributor);
      if (o instanceof FanotifySource.Opened.Ok ok) {
        source = ok.source();
        attributor.readFrom(source);
        source.start(workers);
        LOG.log(Level.INFO, "attribution on: fanotify pidfds={0}", source.pidfds());
      } else {
        openFailure = ((FanotifySource.Opened.Failed) o).why();
        LOG.log(Level.WARNING, "attribution unavailable reason={0}", openFailure);
      }
    }
    if (source != null) {
      markProblems = source.mark(want);
    }
    unavailable = reason(want);
    attributor.unavailable(unavailable);
  }

  private boolean dirRelevant(String dir) {
    for (String r : roots) {
      if (HostPaths.isUnder(dir, r) || HostPaths.isUnder(r, dir)) {
        return true;
      }
    }
    return false;
  }

  private String reason(List<String> want) {
    if (want.isEmpty()) {
      return null;
    }
    if (openFailure != null) {
      return openFailure;
    }
    List<String> why = new ArrayList<>(markProblems.values());
    if (attributor.pidlessEvents() > 0) {
      why.add(
          "writers' pids read 0: the agent is not in the host pid namespace (the pod needs"
              + " hostPID)");
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }

  /**
   * Why rules that ask for attribution get none on this node, or null (all attributed, or none
   * asks): the heartbeat's {@code attributionUnavailable}.
   */
  public String unavailable() {
    return unavailable;
  }

  /**
   * The agent events to record now: a PolicyApplied when attribution became unavailable (or
   * available again), a CoverageGap per fanotify overflow seen since the last call. Engine thread.
   */
  public List<FimEvent> takeEvents(EventFactory ev) {
    update();
    List<FimEvent> out = new ArrayList<>();
    String now = unavailable;
    if (!java.util.Objects.equals(now, reported)) {
      if (now != null) {
        out.add(
            ev.agent(
                ChangeType.PolicyApplied,
                "rules that ask for attribution are watched without it: " + now,
                UNAVAILABLE));
      } else if (reported != null) {
        out.add(ev.agent(ChangeType.PolicyApplied, "attribution available again", null));
      }
      reported = now;
    }
    long o = attributor.overflows();
    if (o > overflowsReported) {
      out.add(
          ev.agent(
              ChangeType.CoverageGap,
              "fanotify queue overflow ("
                  + (o - overflowsReported)
                  + "): writers of changes made meanwhile are unknown; the changes themselves are"
                  + " still detected (inotify and scans)",
              OVERFLOW));
      overflowsReported = o;
    }
    return out;
  }

  /** The fanotify source, null while none is open (tests). */
  public FanotifySource source() {
    return source;
  }

  @Override
  public void close() {
    if (source != null) {
      source.close();
    }
  }
}
