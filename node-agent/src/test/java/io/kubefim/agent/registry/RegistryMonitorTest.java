package io.kubefim.agent.registry;

import static io.kubefim.agent.registry.RegistryRules.config;
import static io.kubefim.agent.registry.RegistryRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.event.RegistryChange;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor on the fake registry and a real state database: baseline, changes while down,
 * realtime (debounced), periodic scans, globs, WOW6432Node twins, secrets, config changes, and a
 * crash between snapshot and outbox. Time moves by hand: no sleeps.
 */
class RegistryMonitorTest {
  static final String HKLM = "HKEY_LOCAL_MACHINE\\";
  static final String RUN = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run";
  static final String WOW_RUN = "SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run";
  static final String CRYPTO = "SOFTWARE\\Microsoft\\Cryptography";
  static final String SECRETS = "SECURITY\\POLICY\\SECRETS";
  static final String UPDATER_TO_EVIL =
      " Updater=C:\\Program Files\\Vendor\\update.exe -> Updater=C:\\evil.exe";

  @TempDir Path tmp;
  RegistryHarness h;
  InMemoryRegistry reg;

  @BeforeEach
  void setUp() throws IOException {
    h = new RegistryHarness(tmp);
    reg = h.reg;
    reg.sz(HKLM + RUN, "Updater", "C:\\Program Files\\Vendor\\update.exe");
  }

  @AfterEach
  void tearDown() throws IOException {
    h.close();
  }

  RegistryMonitor started(AgentConfig config) throws IOException {
    RegistryMonitor m = h.monitor(config);
    m.firstScan();
    h.drain();
    return m;
  }

  /** Lets the debounce pass and runs what is due. */
  List<FimEvent> settle() throws IOException {
    h.advanceMillis(5);
    h.monitor.runDue();
    return h.drain();
  }

  static List<String> brief(List<FimEvent> events) {
    return events.stream().map(RegistryMonitorTest::brief).toList();
  }

  static String brief(FimEvent e) {
    RegistryChange r = e.getRegistry();
    String s = e.getChangeType() + " " + e.getDetectionSource() + " " + r.getKey();
    if (r.getOldValueName() != null) {
      s += " " + r.getOldValueName() + "=" + r.getOldValueData();
    }
    if (r.getNewValueName() != null) {
      s += " -> " + r.getNewValueName() + "=" + r.getNewValueData();
    }
    return s;
  }

  @Test
  void firstStartIsOneBaselineCreatedNotAnEventPerKey() throws IOException {
    reg.sz(HKLM + RUN + "\\Sub", "x", "y");
    RegistryMonitor m = h.monitor(config(rule(HKLM + RUN)));
    assertThat(m.ready()).isFalse();
    m.firstScan();

    List<FimEvent> events = h.drain();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getChangeType()).isEqualTo(ChangeType.BaselineCreated);
              assertThat(e.getMonitoredEntityType()).isEqualTo(EntityType.Agent);
              assertThat(e.getDetails()).startsWith("registry baseline of 2 keys and 2 values");
            });
    assertThat(m.ready()).isTrue();
    assertThat(h.store.meta(RegistryMonitor.META_BASELINE_CREATED)).isNotNull();
  }

  @Test
  void everyChangeKindInRealtimeAfterTheDebounce() throws IOException {
    reg.sz(HKLM + RUN + "\\Old\\Deeper", "v", "1");
    started(config(rule(HKLM + RUN)));

    reg.sz(HKLM + RUN, "Updater", "%TEMP%\\x.exe"); // a burst: one comparison
    reg.sz(HKLM + RUN, "Updater", "C:\\evil.exe");
    reg.dword(HKLM + RUN, "Flags", 1);
    reg.sz(HKLM + RUN + "\\New", "Dll", "n.dll");
    reg.deleteTree(HKLM + RUN + "\\Old");
    h.monitor.runDue();
    assertThat(h.drain()).as("still within the debounce").isEmpty();

    assertThat(brief(settle()))
        .containsExactly(
            "RegistryValueSet Realtime " + RUN + " -> Flags=1",
            "RegistryValueSet Realtime "
                + RUN
                + " Updater=C:\\Program Files\\Vendor\\update.exe -> Updater=C:\\evil.exe",
            "RegistryKeyCreated Realtime " + RUN + "\\New",
            "RegistryValueSet Realtime " + RUN + "\\New -> Dll=n.dll",
            "RegistryKeyDeleted Realtime " + RUN + "\\Old",
            "RegistryKeyDeleted Realtime " + RUN + "\\Old\\Deeper");

    reg.deleteValue(HKLM + RUN, "Flags");
    assertThat(brief(settle()))
        .containsExactly("RegistryValueDeleted Realtime " + RUN + " Flags=1");
    assertThat(brief(settle())).as("nothing new").isEmpty();
  }

  @Test
  void eventsCarryTheRuleAndTheNode() throws IOException {
    started(config(rule(HKLM + RUN)));
    reg.set(
        HKLM + RUN, "Updater", Registry.REG_EXPAND_SZ, InMemoryRegistry.utf16("%TEMP%\\x.exe\0"));

    FimEvent e = settle().get(0);
    assertThat(e.getMonitoredEntityType()).isEqualTo(EntityType.Registry);
    assertThat(e.getComputer()).isEqualTo("akswin000001");
    assertThat(e.getPolicyNames()).containsExactly("windows-recommended");
    assertThat(e.getTags()).containsEntry("baseline", "defender-recommended");
    assertThat(e.getEventId()).isNotBlank();
    // the golden event's registry columns (api's registry-value-set.json)
    assertThat(e.getRegistry())
        .isEqualTo(
            new RegistryChange()
                .setHive("HKEY_LOCAL_MACHINE")
                .setKey(RUN)
                .setOldValueName("Updater")
                .setOldValueType("REG_SZ")
                .setOldValueData("C:\\Program Files\\Vendor\\update.exe")
                .setNewValueName("Updater")
                .setNewValueType("REG_EXPAND_SZ")
                .setNewValueData("%TEMP%\\x.exe"));
  }

  @Test
  void aValueSetReadsAsTheGoldenEvent() throws IOException {
    started(config(rule("HKLM\\" + RUN)));
    reg.set(
        HKLM + RUN, "Updater", Registry.REG_EXPAND_SZ, InMemoryRegistry.utf16("%TEMP%\\x.exe\0"));
    settle();

    ObjectNode golden;
    try (var in = getClass().getResourceAsStream("/golden/registry-value-set.json")) {
      golden = (ObjectNode) Json.mapper().readTree(in);
    }
    ObjectNode actual =
        (ObjectNode) Json.mapper().readTree(h.rawEvents.get(h.rawEvents.size() - 1));
    for (String made : List.of("TimeGenerated", "EventId", "Tags")) {
      golden.remove(made);
      actual.remove(made);
    }
    assertThat(actual).isEqualTo(golden);
  }

  @Test
  void changesWhileDownAreReportedAsScanOnRestart() throws IOException {
    AgentConfig config = config(rule(HKLM + RUN));
    started(config);
    h.restart();

    reg.sz(HKLM + RUN, "Updater", "C:\\evil.exe");
    reg.sz(HKLM + RUN + "\\New", "a", "b");
    h.monitor(config).firstScan();

    assertThat(brief(h.drain()))
        .containsExactly(
            "RegistryValueSet Scan "
                + RUN
                + " Updater=C:\\Program Files\\Vendor\\update.exe -> Updater=C:\\evil.exe",
            "RegistryKeyCreated Scan " + RUN + "\\New",
            "RegistryValueSet Scan " + RUN + "\\New -> a=b");
    h.restart();
    h.monitor(config).firstScan();
    assertThat(h.drain()).as("no change, no BaselineCreated again").isEmpty();
  }

  @Test
  void oidGlobWatchesTheParentAndReportsMatchesOnly() throws IOException {
    reg.sz(HKLM + CRYPTO + "\\OID\\EncodingType 0", "Dll", "crypt32.dll");
    started(config(rule("HKLM\\" + CRYPTO + "\\OID*")));
    assertThat(reg.liveWatches()).containsExactly(HKLM + CRYPTO + " (subtree)");

    reg.sz(HKLM + CRYPTO + "\\oidX", "Dll", "evil.dll");
    reg.sz(HKLM + CRYPTO + "\\OTHER", "Dll", "other.dll");
    reg.sz(HKLM + CRYPTO + "\\OID\\EncodingType 0", "Dll", "evil2.dll");

    assertThat(brief(settle()))
        .containsExactly(
            "RegistryValueSet Realtime "
                + CRYPTO
                + "\\OID\\EncodingType 0"
                + " Dll=crypt32.dll -> Dll=evil2.dll",
            "RegistryKeyCreated Realtime " + CRYPTO + "\\oidX",
            "RegistryValueSet Realtime " + CRYPTO + "\\oidX -> Dll=evil.dll");
  }

  @Test
  void wow6432NodeTwinsAreBothWatchedAndReportedWithTheirOwnKey() throws IOException {
    reg.sz(HKLM + WOW_RUN, "Updater", "C:\\x86\\update.exe");
    started(
        config(
            rule(HKLM + RUN, false, List.of(), List.of()),
            rule(HKLM + WOW_RUN, false, List.of(), List.of())));
    assertThat(reg.liveWatches()).containsExactlyInAnyOrder(HKLM + RUN, HKLM + WOW_RUN);

    reg.sz(HKLM + WOW_RUN, "Evil", "e32.exe");
    reg.sz(HKLM + RUN, "Evil", "e64.exe");

    assertThat(brief(settle()))
        .containsExactlyInAnyOrder(
            "RegistryValueSet Realtime " + RUN + " -> Evil=e64.exe",
            "RegistryValueSet Realtime " + WOW_RUN + " -> Evil=e32.exe");
  }

  @Test
  void aKeyThatDoesNotExistYetIsWatchedThroughItsAncestor() throws IOException {
    String missing = "SOFTWARE\\Vendor\\Later";
    started(config(rule(HKLM + missing)));
    assertThat(reg.liveWatches()).containsExactly(HKLM + "SOFTWARE");

    reg.sz(HKLM + missing, "v", "1");
    assertThat(brief(settle()))
        .containsExactly(
            "RegistryKeyCreated Realtime " + missing,
            "RegistryValueSet Realtime " + missing + " -> v=1");
    assertThat(reg.liveWatches()).containsExactly(HKLM + missing + " (subtree)");

    reg.deleteTree(HKLM + "SOFTWARE\\Vendor");
    assertThat(brief(settle())).containsExactly("RegistryKeyDeleted Realtime " + missing);
    assertThat(reg.liveWatches()).containsExactly(HKLM + "SOFTWARE");
  }

  @Test
  void secretsNeverLeaveInClear() throws IOException {
    byte[] clear = InMemoryRegistry.utf16("Sup3rS3cretLsaPassw0rd\0");
    reg.set(HKLM + SECRETS + "\\DefaultPassword\\CurrVal", "", Registry.REG_BINARY, clear);
    started(config(rule("HKLM\\" + SECRETS)));

    byte[] changed = InMemoryRegistry.utf16("An0therS3cretValue!!\0");
    reg.set(HKLM + SECRETS + "\\DefaultPassword\\CurrVal", "", Registry.REG_BINARY, changed);
    FimEvent e = settle().get(0);

    assertThat(e.getRegistry().getOldValueData())
        .isEqualTo("sha256:" + ValueRendering.sha256(clear));
    assertThat(e.getRegistry().getNewValueData())
        .isEqualTo("sha256:" + ValueRendering.sha256(changed));
    String json = String.join("\n", h.rawEvents);
    String rows = String.join("\n", h.store.registryRows(h.store.registryRules().get(0)).values());
    for (byte[] secret : List.of(clear, changed)) {
      String text =
          new String(secret, java.nio.charset.StandardCharsets.UTF_16LE).replace("\0", "");
      for (String form : List.of(text, HexFormat.of().formatHex(secret), text.substring(0, 8))) {
        assertThat(json).doesNotContainIgnoringCase(form);
        assertThat(rows).as("nor in the state database").doesNotContainIgnoringCase(form);
      }
    }
  }

  @Test
  void aLongValueIsCutInTheEvent() throws IOException {
    started(config(rule(HKLM + RUN)));
    reg.sz(HKLM + RUN, "Long", "y".repeat(RegistryChange.MAX_VALUE_DATA_CHARS + 7));
    assertThat(settle().get(0).getRegistry().getNewValueData())
        .hasSize(RegistryChange.MAX_VALUE_DATA_CHARS + "... (7 characters cut)".length())
        .endsWith("... (7 characters cut)");
  }

  @Test
  void withoutRealtimeThePeriodicScanFindsTheChange() throws IOException {
    var r =
        new io.kubefim.api.config.AgentRule(
            HKLM + RUN,
            false,
            List.of(),
            List.of(),
            java.util.Set.of(),
            java.util.Set.of(),
            0,
            false,
            60,
            5,
            List.of("p"),
            Map.of(),
            false,
            true);
    started(config(r));
    assertThat(reg.liveWatches()).isEmpty();

    reg.sz(HKLM + RUN, "Updater", "C:\\evil.exe");
    h.advanceMillis(59_000);
    h.monitor.runDue();
    assertThat(h.drain()).isEmpty();
    h.advanceMillis(1_000);
    h.monitor.runDue();
    assertThat(brief(h.drain())).containsExactly("RegistryValueSet Scan " + RUN + UPDATER_TO_EVIL);
  }

  @Test
  void aCrashBetweenSnapshotAndOutboxLosesNothing() throws IOException {
    AgentConfig config = config(rule(HKLM + RUN));
    started(config);
    reg.sz(HKLM + RUN, "Updater", "C:\\evil.exe");

    h.crashNextCommit = true; // the transaction writes the snapshot rows, then fails
    assertThat(settle()).isEmpty();
    assertThat(h.store.outboxDepth()).isZero();
    String rule = h.store.registryRules().get(0);
    assertThat(h.store.registryRows(rule).get(HKLM + RUN))
        .contains("update.exe")
        .doesNotContain("evil");

    h.restart(); // reopened without that commit: the stored snapshot is the old one
    h.monitor(config).firstScan();
    assertThat(brief(h.drain())).containsExactly("RegistryValueSet Scan " + RUN + UPDATER_TO_EVIL);
  }

  @Test
  void aFailedCommitIsRetriedByTheSameMonitor() throws IOException {
    started(config(rule(HKLM + RUN)));
    reg.sz(HKLM + RUN, "Updater", "C:\\evil.exe");
    h.crashNextCommit = true;
    assertThat(settle()).isEmpty();

    h.advanceMillis(5_000);
    assertThat(brief(settle()))
        .containsExactly("RegistryValueSet Realtime " + RUN + UPDATER_TO_EVIL);
  }

  @Test
  void aRuleAddedLaterIsBaselinedSilentlyAndOneRemovedIsDropped() throws IOException {
    started(config(rule(HKLM + RUN)));
    reg.sz(HKLM + WOW_RUN, "Updater", "x86.exe");

    h.monitor.apply(config(rule(HKLM + RUN), rule(HKLM + WOW_RUN)));
    assertThat(h.drain()).as("a newly monitored key is not Created").isEmpty();
    reg.sz(HKLM + WOW_RUN, "Updater", "evil.exe");
    assertThat(brief(settle()))
        .containsExactly(
            "RegistryValueSet Realtime " + WOW_RUN + " Updater=x86.exe -> Updater=evil.exe");

    h.monitor.apply(config(rule(HKLM + WOW_RUN)));
    assertThat(reg.liveWatches()).containsExactly(HKLM + WOW_RUN + " (subtree)");
    assertThat(h.store.registryRules()).hasSize(1);
    reg.sz(HKLM + RUN, "Updater", "ignored.exe");
    assertThat(settle()).isEmpty();
  }

  static {
    assert DetectionSource.Realtime != null;
  }
}
