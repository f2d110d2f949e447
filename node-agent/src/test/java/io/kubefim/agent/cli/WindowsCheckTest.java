package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.WindowsConfigs;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --node-os windows} on Linux (issue 15): the recommended Windows policy, its files
 * under {@code <host-root>/C:/}, its registry keys left to the registry monitor.
 */
class WindowsCheckTest {
  @TempDir Path tmp;
  Path host;
  Path policies;
  final CheckCommandTest cli = new CheckCommandTest();

  @BeforeEach
  void setUp() throws IOException {
    host = Files.createDirectories(tmp.resolve("host"));
    policies = Files.createDirectories(tmp.resolve("policies"));
    Files.copy(WindowsConfigs.RECOMMENDED, policies.resolve("windows-recommended.yaml"));
    write("C:/Windows/win.ini", "[fonts]\n");
    write("C:/Windows/system.ini", "[drivers]\n");
    write("C:/config.sys", "");
  }

  void write(String rel, String content) throws IOException {
    Path f = host.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  int check(String os) {
    return cli.run(
        "check",
        "--state",
        tmp.resolve("state").toString(),
        "--policies",
        policies.toString(),
        "--host-root",
        host.toString(),
        "--node",
        "win-1",
        "--node-os",
        os);
  }

  List<FimEvent> events() {
    return cli.out
        .lines()
        .map(
            l -> {
              try {
                return Json.mapper().readValue(l, FimEvent.class);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  @Test
  void baselinesThenReportsCreatedModifiedDeletedWithWindowsPaths() throws IOException {
    assertThat(check("windows")).as(cli.err).isZero();
    assertThat(events())
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
    assertThat(events().get(0).getDetails()).contains("baseline of 3 entries");

    write("C:/Windows/win.ini", "[fonts]\n[mci extensions]\n");
    write("C:/autoexec.bat", "@echo off\n");
    Files.delete(host.resolve("C:/config.sys"));
    assertThat(check("windows")).isEqualTo(1 | 2 | 4);
    assertThat(events())
        .extracting(FimEvent::getChangeType, FimEvent::getFilePath)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ChangeType.Modified, "C:\\Windows\\win.ini"),
            org.assertj.core.groups.Tuple.tuple(ChangeType.Created, "C:\\autoexec.bat"),
            org.assertj.core.groups.Tuple.tuple(ChangeType.Deleted, "C:\\config.sys"));
    assertThat(cli.out).contains("\"FilePath\":\"C:\\\\Windows\\\\win.ini\"");
    assertThat(events()).allSatisfy(e -> assertThat(e.getComputer()).isEqualTo("win-1"));
    assertThat(check("windows")).isZero();
  }

  @Test
  void forALinuxNodeTheWindowsPolicyAppliesNothing() {
    // the policy selects Windows nodes only: a Linux node's config has no rules at all
    assertThat(check("linux")).isZero();
    assertThat(events())
        .extracting(FimEvent::getChangeType)
        .containsExactly(ChangeType.BaselineCreated);
    assertThat(events().get(0).getDetails()).contains("baseline of 0 entries");
  }

  @Test
  void anUnknownNodeOsIsAUsageError() {
    assertThat(check("darwin")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err).contains("--node-os must be linux or windows");
  }
}
