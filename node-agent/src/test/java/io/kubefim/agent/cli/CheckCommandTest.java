package io.kubefim.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check}: NDJSON on stdout and the exit codes of SPEC §6, run in-process. */
class CheckCommandTest {
  @TempDir Path tmp;
  Path host;
  Path policies;
  Path state;
  String out;
  String err;

  @BeforeEach
  void setUp() throws IOException {
    host = Files.createDirectories(tmp.resolve("host"));
    policies = Files.createDirectories(tmp.resolve("policies"));
    state = tmp.resolve("state");
    Files.writeString(
        policies.resolve("p.yaml"),
        """
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: local}
        spec:
          rules:
            - paths: [/etc/app]
              exclude: ["*.swp"]
          tags: {team: sec}
        """);
    Files.createDirectories(host.resolve("etc/app"));
    Files.writeString(host.resolve("etc/app/a"), "a");
    Files.writeString(host.resolve("etc/app/b"), "b");
  }

  int check(String... extra) {
    String[] base = {
      "check",
      "--state",
      state.toString(),
      "--policies",
      policies.toString(),
      "--host-root",
      host.toString(),
      "--node",
      "n1"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return run(args);
  }

  int run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return AgentMain.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      out = o.toString(StandardCharsets.UTF_8);
      err = e.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void runRefusesANodeNameThatIsNotAKubernetesNodeName() throws Exception {
    Files.createDirectories(tmp.resolve("policies"));
    int code =
        run(
            "run",
            "--state",
            tmp.resolve("run-state").toString(),
            "--policies",
            tmp.resolve("policies").toString(),
            "--node",
            "<script>alert(1)</script>");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err).contains("--node '<script>alert(1)</script>': not a Kubernetes node name");
  }

  /** Issue 17: a check inside the policy's ad-hoc window labels what it finds expected. */
  @Test
  void aCheckInsideAMaintenanceWindowLabelsItsChangesExpected() throws IOException {
    check();
    Files.writeString(
        policies.resolve("p.yaml"),
        """
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata:
          name: local
          annotations: {kubefim.io/maintenance-until: "2999-01-01T00:00:00Z"}
        spec:
          rules:
            - paths: [/etc/app]
        """);
    Files.writeString(host.resolve("etc/app/a"), "patched");

    check();

    assertThat(out)
        .contains("\"FilePath\":\"/etc/app/a\"")
        .contains("\"ChangeExpected\":true,\"ExpectedReason\":\"adhoc\"");
  }

  @Test
  void firstCheckCreatesBaselineAndExitsZero() {
    assertThat(check()).isEqualTo(0);
    assertThat(out.lines()).hasSize(1);
    assertThat(out).contains("\"ChangeType\":\"BaselineCreated\"").contains("\"Computer\":\"n1\"");
    assertThat(check()).isEqualTo(0);
    assertThat(out).isEmpty();
  }

  @Test
  void exitCodeIsBitmaskOfChanges() throws IOException {
    check();
    Files.writeString(host.resolve("etc/app/c"), "c");
    assertThat(check()).isEqualTo(1);
    assertThat(out)
        .contains("\"ChangeType\":\"Created\"")
        .contains("\"FilePath\":\"/etc/app/c\"")
        .contains("\"Tags\":{\"team\":\"sec\"}");
    Files.delete(host.resolve("etc/app/c"));
    Files.writeString(host.resolve("etc/app/a"), "changed");
    assertThat(check()).isEqualTo(2 | 4);
    Files.writeString(host.resolve("etc/app/d"), "d");
    Files.delete(host.resolve("etc/app/b"));
    Files.writeString(host.resolve("etc/app/a"), "again");
    assertThat(check()).isEqualTo(1 | 2 | 4);
    assertThat(out.lines()).hasSize(3);
    Files.writeString(host.resolve("etc/app/x.swp"), "excluded");
    assertThat(check()).isEqualTo(0);
  }

  @Test
  void noUpdateLeavesBaselineAsItWas() throws IOException {
    check();
    Files.writeString(host.resolve("etc/app/a"), "changed");
    assertThat(check("--no-update")).isEqualTo(4);
    assertThat(check("--no-update")).isEqualTo(4);
    assertThat(check()).isEqualTo(4);
    assertThat(check()).isEqualTo(0);
  }

  @Test
  void noUpdateWithoutBaselineIsUsageError() {
    assertThat(check("--no-update")).isEqualTo(64);
    assertThat(err).contains("no baseline");
  }

  @Test
  void invalidPolicyIs64WithMessage() throws IOException {
    Files.writeString(
        policies.resolve("bad.yaml"),
        """
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: bad}
        spec:
          scanInterval: 1m
          rules:
            - paths: ["/etc/[abc"]
        """);
    assertThat(check()).isEqualTo(64);
    // every problem at once, by file and line (PolicyLoadResult.allProblems)
    assertThat(err)
        .contains("bad.yaml:5: spec.scanInterval")
        .contains("bad.yaml:7: spec.rules[0].paths[0]")
        .contains("[abc");
  }

  @Test
  void badArgumentsAre64() {
    assertThat(run("check", "--state", state.toString())).isEqualTo(64);
    assertThat(err).contains("--policies");
    assertThat(run("frobnicate")).isEqualTo(64);
  }

  @Test
  void unusableStateIs74() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    assertThat(
            run(
                "check",
                "--state",
                file.toString(),
                "--policies",
                policies.toString(),
                "--host-root",
                host.toString()))
        .isEqualTo(74);
    assertThat(err).isNotEmpty();
  }
}
