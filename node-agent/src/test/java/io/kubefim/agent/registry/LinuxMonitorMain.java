package io.kubefim.agent.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link RegistryMonitorOnLinuxTest}: builds the monitor on the fake, scans
 * and reacts to a change, so that the JVM's class-load log shows what that loads.
 */
public final class LinuxMonitorMain {
  private LinuxMonitorMain() {}

  public static void main(String[] args) throws Exception {
    Path state = Files.createTempDirectory("kubefim-registry");
    try (RegistryHarness h = new RegistryHarness(state)) {
      h.reg.sz("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor", "v", "1");
      RegistryMonitor m =
          h.monitor(RegistryRules.config(RegistryRules.rule("HKLM\\SOFTWARE\\Vendor")));
      m.firstScan();
      h.reg.sz("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor", "v", "2");
      h.advanceMillis(10);
      m.runDue();
      System.out.println("events=" + h.drain().size());
    }
  }
}
