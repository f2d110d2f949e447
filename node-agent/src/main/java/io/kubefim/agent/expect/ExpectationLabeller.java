package io.kubefim.agent.expect;

import io.kubefim.api.compile.ExpectationCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.Expectation;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.expect.MaintenanceWindow;
import io.kubefim.api.expect.MaintenanceWindows;
import io.kubefim.api.glob.PathGlob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Labels a File or Registry event {@code ChangeExpected} when it is made (issue 17, docs/agent.md),
 * in this order, the first that applies wins:
 *
 * <ol>
 *   <li>a maintenance window of a policy in the event's PolicyNames is open at the event's
 *       TimeGenerated: {@code MaintenanceWindow:<name>} (or {@code adhoc}); of several policies'
 *       open windows the one that opened first ({@link MaintenanceWindows});
 *   <li>the writer's executable (attribution), or the nearest of its parent's, grandparent's, ...
 *       (at most 4, read with the writer), is a package manager ({@link PackageManagers}) and the
 *       writer runs on the host, not in a container: {@code PackageManager:<that exe>};
 *   <li>the writer's executable matches an expectedProcesses glob of one of those policies: {@code
 *       Process:<exe>}.
 * </ol>
 *
 * Scan-detected changes have no writer, so only windows label them. Nothing is dropped: the label
 * is a field. Thread-safe; the compiled windows are cached per config.
 */
public final class ExpectationLabeller {
  private final Supplier<AgentConfig> config;
  private final String hostRoot;

  /** The config last compiled and its policies, published together (any thread may label). */
  private volatile Snapshot snapshot = new Snapshot(null, Map.of());

  private record Snapshot(AgentConfig config, Map<String, Compiled> policies) {}

  private record Compiled(MaintenanceWindows windows, List<PathGlob> processes) {}

  /**
   * @param config the config in force (read per event; compiled again when it changes)
   * @param hostRoot the agent's --host-root, stripped from an exe below it (null or "/": none)
   */
  public ExpectationLabeller(Supplier<AgentConfig> config, Path hostRoot) {
    this.config = config;
    String root = hostRoot == null ? null : hostRoot.toAbsolutePath().normalize().toString();
    this.hostRoot = root == null || root.equals("/") ? null : root;
  }

  /**
   * A window occurrence of one policy.
   *
   * @param policy the policy that declares it
   * @param occurrence the open period
   */
  public record OpenWindow(String policy, MaintenanceWindow.Occurrence occurrence) {}

  /** Sets the event's Expectation when one of the rules in the class comment applies. */
  public void label(FimEvent e) {
    List<String> names = e.getPolicyNames();
    if (names == null || names.isEmpty()) {
      return;
    }
    OpenWindow open = windowOf(e);
    if (open != null) {
      e.getExpectation().expect(Expectation.window(open.occurrence().name()));
      return;
    }
    Map<String, Compiled> byName = compiled();
    if (e.getDetectionSource() != DetectionSource.Realtime) {
      return;
    }
    Attribution writer = e.getAttribution();
    String exe = hostPath(writer.getProcessImageFilePath());
    if (exe == null) {
      return;
    }
    String manager = packageManager(writer, exe);
    if (manager != null) {
      e.getExpectation().expect(Expectation.PACKAGE_MANAGER + manager);
      return;
    }
    for (String name : names) {
      Compiled c = byName.get(name);
      if (c != null && c.processes().stream().anyMatch(g -> g.matches(exe))) {
        e.getExpectation().expect(Expectation.PROCESS + exe);
        return;
      }
    }
  }

  /**
   * The window that labels {@code e} (rule 1 of the class comment): of the open windows of the
   * policies in its PolicyNames at its TimeGenerated, the one that opened first; null when none.
   */
  public OpenWindow windowOf(FimEvent e) {
    List<String> names = e.getPolicyNames();
    if (names == null || names.isEmpty() || e.getTimeGenerated() == null) {
      return null;
    }
    Map<String, Compiled> byName = compiled();
    OpenWindow open = null;
    for (String name : names) {
      Compiled c = byName.get(name);
      if (c == null || c.windows().isEmpty()) {
        continue;
      }
      MaintenanceWindow.Occurrence o = c.windows().openAt(e.getTimeGenerated());
      if (o != null && (open == null || earlier(o, open.occurrence()))) {
        open = new OpenWindow(name, o);
      }
    }
    return open;
  }

  /** Every window of every policy in force open at {@code t}, overlapping ones included. */
  public List<OpenWindow> allOpenAt(Instant t) {
    List<OpenWindow> open = new ArrayList<>();
    for (Map.Entry<String, Compiled> p : compiled().entrySet()) {
      for (MaintenanceWindow.Occurrence o : p.getValue().windows().allOpenAt(t)) {
        open.add(new OpenWindow(p.getKey(), o));
      }
    }
    return open;
  }

  /**
   * The node's package manager behind a write: the writer's exe, else the nearest of its ancestors'
   * (a maintainer script run by dpkg); null when none is, or when the writer is in a container. A
   * container's exe path is the one inside its image, which anybody who can build an image chooses,
   * so only host processes are the node's package manager.
   */
  private String packageManager(Attribution writer, String exe) {
    if (writer.getContainerId() != null || writer.getPodUid() != null) {
      return null;
    }
    if (PackageManagers.isPackageManager(exe)) {
      return exe;
    }
    for (String ancestor : writer.getAncestorImageFilePaths()) {
      String a = hostPath(ancestor);
      if (a != null && PackageManagers.isPackageManager(a)) {
        return a;
      }
    }
    return null;
  }

  /** The adhoc window (no start) comes first, then the earlier start, then the name. */
  private static boolean earlier(MaintenanceWindow.Occurrence a, MaintenanceWindow.Occurrence b) {
    if (a.opened() == null || b.opened() == null) {
      return a.opened() == null && b.opened() != null;
    }
    int c = a.opened().compareTo(b.opened());
    return c < 0 || (c == 0 && a.name().compareTo(b.name()) < 0);
  }

  private String hostPath(String exe) {
    if (exe == null || exe.isEmpty()) {
      return null;
    }
    if (hostRoot != null && exe.startsWith(hostRoot + "/")) {
      return exe.substring(hostRoot.length());
    }
    return exe;
  }

  private Map<String, Compiled> compiled() {
    AgentConfig c = config.get();
    Snapshot now = snapshot;
    if (c != now.config()) {
      Map<String, Compiled> m = new HashMap<>();
      if (c != null) {
        for (AppliedPolicy p : c.policies()) {
          if (!p.hasExpectations()) {
            continue;
          }
          List<PathGlob> globs = new ArrayList<>();
          for (String g : p.expectedProcesses()) {
            globs.add(PathGlob.compile(g));
          }
          m.put(p.name(), new Compiled(ExpectationCompiler.windows(p), globs));
        }
      }
      now = new Snapshot(c, Map.copyOf(m));
      snapshot = now;
    }
    return now.policies();
  }

  /** For tests: the names {@link PackageManagers} knows. */
  static Set<String> packageManagerNames() {
    return PackageManagers.NAMES;
  }
}
