package io.kubefim.agent.expect;

import io.kubefim.api.compile.ExpectationCompiler;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.Expectation;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.expect.MaintenanceWindow;
import io.kubefim.api.expect.MaintenanceWindows;
import io.kubefim.api.glob.PathGlob;
import java.nio.file.Path;
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
 *   <li>the writer's executable (attribution) is a package manager ({@link PackageManagers}):
 *       {@code PackageManager:<exe>};
 *   <li>the writer's executable matches an expectedProcesses glob of one of those policies: {@code
 *       Process:<exe>}.
 * </ol>
 *
 * Scan-detected changes have no writer, so only windows label them. Nothing is dropped: the label
 * is a field. Called on the engine thread; the compiled windows are cached per config.
 */
public final class ExpectationLabeller {
  private final Supplier<AgentConfig> config;
  private final String hostRoot;
  private AgentConfig compiledFor;
  private Map<String, Compiled> policies = Map.of();

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

  /** Sets the event's Expectation when one of the rules in the class comment applies. */
  public void label(FimEvent e) {
    List<String> names = e.getPolicyNames();
    if (names == null || names.isEmpty()) {
      return;
    }
    Map<String, Compiled> byName = compiled();
    MaintenanceWindow.Occurrence open = null;
    for (String name : names) {
      Compiled c = byName.get(name);
      if (c == null || c.windows().isEmpty()) {
        continue;
      }
      MaintenanceWindow.Occurrence o = c.windows().openAt(e.getTimeGenerated());
      if (o != null && (open == null || earlier(o, open))) {
        open = o;
      }
    }
    if (open != null) {
      e.getExpectation().expect(Expectation.window(open.name()));
      return;
    }
    if (e.getDetectionSource() != DetectionSource.Realtime) {
      return;
    }
    String exe = hostPath(e.getAttribution().getProcessImageFilePath());
    if (exe == null) {
      return;
    }
    if (PackageManagers.isPackageManager(exe)) {
      e.getExpectation().expect(Expectation.PACKAGE_MANAGER + exe);
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
    if (c != compiledFor) {
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
      policies = m;
      compiledFor = c;
    }
    return policies;
  }

  /** For tests: the names {@link PackageManagers} knows. */
  static Set<String> packageManagerNames() {
    return PackageManagers.NAMES;
  }
}
