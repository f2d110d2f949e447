package io.kubefim.agent.registry;

import io.kubefim.agent.baseline.BaselineStore;
import io.kubefim.agent.engine.EventFactory;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.FimEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the agent runs a {@link RegistryMonitor}, and on what: only on Windows (the registry is
 * Advapi32's), and only when the config has registry rules. A class of its own so that nothing on
 * Linux loads {@link Advapi32Registry} (RegistryMonitorOnLinuxTest).
 */
public final class WindowsRegistryMonitor {
  private static final Logger LOG = Logger.getLogger(WindowsRegistryMonitor.class.getName());

  private WindowsRegistryMonitor() {}

  /** True on a Windows JVM. */
  static boolean onWindows() {
    return System.getProperty("os.name", "").startsWith("Windows");
  }

  /**
   * The monitor for {@code initial}'s registry rules over the host registry, or null when there is
   * nothing to monitor here. A config with registry rules on another OS (a Windows node's config
   * checked on Linux) is logged and its registry rules left alone: the file rules still apply.
   *
   * @param afterCommit called with the events of each commit (the same callback the file side's
   *     writer gets: metrics and the shipper's wake-up)
   */
  public static RegistryMonitor create(
      AgentConfig initial,
      BaselineStore store,
      Consumer<List<FimEvent>> afterCommit,
      EventFactory events) {
    long keys = initial.rules().stream().filter(AgentRule::registry).count();
    if (!onWindows()) {
      if (keys > 0) {
        LOG.log(
            Level.WARNING,
            "registry rules need Windows, left alone here keys={0} os={1}",
            new Object[] {keys, System.getProperty("os.name")});
      }
      return null;
    }
    // On Windows always: a config with registry rules may arrive later.
    return new RegistryMonitor(
        new Advapi32Registry(), new SqliteSnapshotStore(store, afterCommit), events, initial);
  }
}
