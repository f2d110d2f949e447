package io.kubefim.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.compile.NodeOs;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.PolicyValidator;
import io.kubefim.operator.Policies;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure part of {@link AgentDaemonSetApplier}; the I/O is FimPolicyReconcilerIT's. */
class AgentDaemonSetApplierTest {
  static Stream<Arguments> mayRunOn() {
    return Stream.of(
        // spec of an invalid policy, may run on Linux, may run on Windows
        Arguments.of("rules: [{paths: [relative/path]}]", true, false),
        Arguments.of("rules: [{paths: [/etc]}]\nscanInterval: 1m", true, false),
        Arguments.of(
            "nodeSelector: {matchLabels: {kubernetes.io/os: windows}}\n"
                + "rules: [{paths: ['C:\\Windows\\win.ini']}]\nscanInterval: 1m",
            false,
            true),
        // a Windows rule under a selector that admits Linux only: it was meant for Windows nodes
        Arguments.of("rules: [{registry: ['HKLM\\SOFTWARE\\x']}]", false, true),
        Arguments.of(
            "nodeSelector: {matchLabels: {kubernetes.io/os: windows}}\nrules: []", false, true),
        Arguments.of("rules: []", true, false),
        Arguments.of(
            "rules: [{paths: [/etc]}, {paths: ['C:\\Windows']}]\nscanInterval: 1m", true, true));
  }

  @ParameterizedTest
  @MethodSource
  void mayRunOn(String specYaml, boolean linux, boolean windows) {
    FimPolicy p = Policies.policy("p", specYaml);
    assertThat(PolicyValidator.isValid(p)).as("the table lists invalid policies").isFalse();
    assertThat(AgentDaemonSetApplier.mayRunOn(p, NodeOs.LINUX)).isEqualTo(linux);
    assertThat(AgentDaemonSetApplier.mayRunOn(p, NodeOs.WINDOWS)).isEqualTo(windows);
  }

  @Test
  void aPolicyWithoutSpecMayRunAnywhere() {
    FimPolicy p = Policies.policy("p", "rules: [{paths: [/etc]}]");
    p.setSpec(null);
    assertThat(AgentDaemonSetApplier.mayRunOn(p, NodeOs.LINUX)).isTrue();
    assertThat(AgentDaemonSetApplier.mayRunOn(p, NodeOs.WINDOWS)).isTrue();
  }
}
