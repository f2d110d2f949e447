package io.kubefim.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.Attribution;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeViewTest {
  private static final String CONTAINER = "0123456789abcdef".repeat(4);

  static Stream<Arguments> whoSummaries() {
    return Stream.of(
        Arguments.of("nothing known", (UnaryOperator<Attribution>) a -> a, ""),
        Arguments.of(
            "process in a pod",
            (UnaryOperator<Attribution>)
                a ->
                    a.setProcessName("vim")
                        .setProcessId(4242L)
                        .setContainerId(CONTAINER)
                        .setPodName("debug-x")
                        .setPodNamespace("default"),
            "vim (pid 4242) · pod default/debug-x"),
        Arguments.of(
            "host process",
            (UnaryOperator<Attribution>) a -> a.setProcessName("vim").setProcessId(4242L),
            "vim (pid 4242) · host"),
        Arguments.of(
            "exited before its name was read",
            (UnaryOperator<Attribution>) a -> a.setProcessName("").setProcessId(77L),
            "pid 77 · host"),
        Arguments.of(
            "container whose pod is unknown",
            (UnaryOperator<Attribution>)
                a -> a.setProcessName("sh").setProcessId(9L).setContainerId(CONTAINER),
            "sh (pid 9) · container 0123456789ab"),
        Arguments.of(
            "container name without pod",
            (UnaryOperator<Attribution>)
                a -> a.setProcessId(9L).setContainerId(CONTAINER).setContainerName("shell"),
            "pid 9 · container shell"),
        Arguments.of(
            "short container id of an old row",
            (UnaryOperator<Attribution>) a -> a.setProcessId(9L).setContainerId("abc"),
            "pid 9 · container abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("whoSummaries")
  void whoColumn(String name, UnaryOperator<Attribution> attribution, String expected) {
    assertThat(ChangeView.whoSummary(attribution.apply(new Attribution()))).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aRegistryChangeShowsItsKeyAndTheValueBeforeAndAfter() {
    var e =
        new io.kubefim.api.event.FimEvent()
            .setTimeGenerated(java.time.Instant.parse("2026-12-02T09:15:30Z"))
            .setEventId("5b0e6d2c-4f0a-4c5e-9a51-3f2f4f0d1e77")
            .setComputer("akswin000001")
            .setMonitoredEntityType(io.kubefim.api.event.EntityType.Registry)
            .setChangeType(io.kubefim.api.event.ChangeType.RegistryValueSet);
    e.getRegistry()
        .setHive("HKEY_LOCAL_MACHINE")
        .setKey("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run")
        .setOldValueName("Updater")
        .setOldValueType("REG_SZ")
        .setOldValueData("C:\\Vendor\\update.exe")
        .setNewValueName("Updater")
        .setNewValueType("REG_EXPAND_SZ")
        .setNewValueData("%TEMP%\\x.exe");
    ChangeView v = ChangeView.of(e);
    assertThat(v.path())
        .isEqualTo("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
    assertThat(v.entityType()).isEqualTo("Registry");
    assertThat(v.values())
        .containsExactly(
            new ChangeView.Value("Value name", "Updater", "Updater"),
            new ChangeView.Value("Value type", "REG_SZ", "REG_EXPAND_SZ"),
            new ChangeView.Value("Value data", "C:\\Vendor\\update.exe", "%TEMP%\\x.exe"));
    assertThat(Csv.header()).contains(",RegistryKey,RegistryHive,OldValueName,OldValueType,");
    assertThat(Csv.row(e)).contains("REG_EXPAND_SZ").contains("%TEMP%\\x.exe");
  }
}
