package io.kubefim.agent.expect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentConfig.Window;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FimEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The labelling rules and their precedence: window, then package manager, then process. */
class ExpectationLabellerTest {
  private static final AgentConfig CONFIG =
      new AgentConfig(
          AgentConfig.FORMAT_VERSION,
          "v",
          "n",
          List.of(
              new AppliedPolicy(
                  "p",
                  1,
                  List.of(new Window("nightly", "0 2 * * *", 3600, "UTC")),
                  "2026-05-06T12:00:00Z",
                  List.of("/opt/*/bin/updater")),
              new AppliedPolicy("other", 1)),
          List.of());

  @ParameterizedTest(name = "{0} {1} {2} {3}: {4}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "p | 2026-05-07T02:30:00Z | Realtime | /usr/bin/dpkg | MaintenanceWindow:nightly",
        "p | 2026-05-06T11:00:00Z | Realtime | /usr/bin/vim | adhoc",
        "p | 2026-05-06T13:00:00Z | Realtime | /usr/bin/dpkg | PackageManager:/usr/bin/dpkg",
        "p | 2026-05-06T13:00:00Z | Realtime | /host/usr/bin/apt-get | PackageManager:/usr/bin/apt-get",
        "p | 2026-05-06T13:00:00Z | Realtime | /usr/sbin/tdnf | PackageManager:/usr/sbin/tdnf",
        "p | 2026-05-06T13:00:00Z | Realtime | /tmp/dpkg | -",
        "p | 2026-05-06T13:00:00Z | Realtime | /usr/bin/vim | -",
        "p | 2026-05-06T13:00:00Z | Realtime | /opt/acme/bin/updater | Process:/opt/acme/bin/updater",
        "other | 2026-05-06T13:00:00Z | Realtime | /opt/acme/bin/updater | -",
        "other | 2026-05-06T02:30:00Z | Realtime | /usr/bin/vim | -",
        // the window is first, then the package manager
        "p | 2026-05-06T02:30:00Z | Scan | - | adhoc",
        "other | 2026-05-06T13:00:00Z | Realtime | /usr/bin/rpm | PackageManager:/usr/bin/rpm",
        // a scan has no writer: only windows label it
        "p | 2026-05-06T13:00:00Z | Scan | /usr/bin/dpkg | -",
        "p | 2026-05-07T02:30:00Z | Scan | - | MaintenanceWindow:nightly",
      })
  void labels(String policy, String at, String source, String exe, String reason) {
    FimEvent e =
        new FimEvent()
            .setTimeGenerated(Instant.parse(at))
            .setPolicyNames(List.of(policy))
            .setDetectionSource(DetectionSource.valueOf(source));
    e.getAttribution().setProcessImageFilePath(exe);

    new ExpectationLabeller(() -> CONFIG, Path.of("/host")).label(e);

    assertThat(e.getExpectation().getExpectedReason()).isEqualTo(reason);
    assertThat(e.getExpectation().getChangeExpected()).isEqualTo(reason == null ? null : true);
  }

  @ParameterizedTest(name = "{0} child of {1} in container {2}: {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // a maintainer script's shell and the tools it runs are dpkg's work
        "/bin/sh | /usr/bin/dpkg | - | PackageManager:/usr/bin/dpkg",
        "/usr/sbin/ldconfig | /bin/sh;/usr/bin/dpkg;/usr/bin/apt-get | - | PackageManager:/usr/bin/dpkg",
        "/usr/bin/python3 | ;/host/usr/bin/apt-get | - | PackageManager:/usr/bin/apt-get",
        "/bin/sh | /bin/bash;/usr/sbin/sshd | - | -",
        "/bin/sh | /tmp/dpkg | - | -",
        // in a container the exe path is the image's: never the node's package manager
        "/usr/bin/dpkg | - | 3f2a | -",
        "/bin/sh | /usr/bin/dpkg | 3f2a | -",
      })
  void labelsAPackageManagersChildrenOnTheHostOnly(
      String exe, String ancestors, String container, String reason) {
    FimEvent e =
        new FimEvent()
            .setTimeGenerated(Instant.parse("2026-05-06T13:00:00Z"))
            .setPolicyNames(List.of("other"))
            .setDetectionSource(DetectionSource.Realtime);
    e.getAttribution()
        .setProcessImageFilePath(exe)
        .setContainerId(container)
        .setAncestorImageFilePaths(
            ancestors == null ? List.of() : List.of(ancestors.split(";", -1)));

    new ExpectationLabeller(() -> CONFIG, Path.of("/host")).label(e);

    assertThat(e.getExpectation().getExpectedReason()).isEqualTo(reason);
  }
}
