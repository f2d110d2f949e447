package io.kubefim.api.compile;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSelectionTest {
  private static final Map<String, String> LINUX_POOL_A =
      Map.of("kubernetes.io/os", "linux", "pool", "a", "zone", "z1");
  private static final Map<String, String> WINDOWS =
      Map.of("kubernetes.io/os", "windows", "pool", "a");
  private static final Map<String, String> NO_LABELS = Map.of();

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("{}", LINUX_POOL_A, true),
        arguments("{}", NO_LABELS, true),
        arguments("{}", WINDOWS, false),
        arguments("{nodeSelector: {}}", WINDOWS, false),
        arguments("{nodeSelector: {matchLabels: {pool: a}}}", LINUX_POOL_A, true),
        arguments("{nodeSelector: {matchLabels: {pool: a}}}", WINDOWS, false),
        arguments("{nodeSelector: {matchLabels: {pool: b}}}", LINUX_POOL_A, false),
        // a Windows selector with the Linux rule of these cases: nothing to run there (and the
        // validator refuses such a policy, naming the rule)
        arguments("{nodeSelector: {matchLabels: {kubernetes.io/os: windows}}}", WINDOWS, false),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: In, values: [z1, z2]}]}}",
            LINUX_POOL_A,
            true),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: In, values: [z2]}]}}",
            LINUX_POOL_A,
            false),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: NotIn, values: [z1]}]}}",
            LINUX_POOL_A,
            false),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: NotIn, values: [z1]}]}}",
            NO_LABELS,
            true),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: Exists}]}}",
            LINUX_POOL_A,
            true),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: zone, operator: Exists}]}}",
            NO_LABELS,
            false),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: gpu, operator: DoesNotExist}]}}",
            LINUX_POOL_A,
            true),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: pool, operator: DoesNotExist}]}}",
            LINUX_POOL_A,
            false),
        arguments(
            "{nodeSelector: {matchLabels: {pool: a}, matchExpressions: [{key: zone, operator:"
                + " In, values: [z9]}]}}",
            LINUX_POOL_A,
            false));
  }

  @ParameterizedTest(name = "{0} on {1} = {2}")
  @MethodSource("cases")
  void selectsLikeALabelSelectorOnLinuxNodes(String spec, Map<String, String> labels, boolean exp) {
    String yaml = spec.substring(0, spec.length() - 1) + (spec.equals("{}") ? "" : ", ");
    yaml += "rules: [{paths: [/etc]}]}";
    assertThat(NodeSelection.selects(policy("p", yaml).getSpec(), labels)).isEqualTo(exp);
  }

  static Stream<Arguments> osCases() {
    String windowsOnly = "nodeSelector: {matchLabels: {kubernetes.io/os: windows}}";
    String both =
        "nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux,"
            + " windows]}]}";
    String linuxRule = "{paths: [/etc]}";
    String windowsRule = "{paths: ['C:\\Windows\\win.ini']}";
    String registryRule = "{registry: ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run']}";
    return Stream.of(
        arguments("{" + windowsOnly + ", rules: [" + windowsRule + "]}", WINDOWS, true),
        arguments("{" + windowsOnly + ", rules: [" + windowsRule + "]}", LINUX_POOL_A, false),
        arguments("{" + windowsOnly + ", rules: [" + registryRule + "]}", WINDOWS, true),
        arguments("{rules: [" + windowsRule + "]}", WINDOWS, false),
        arguments(
            "{" + both + ", rules: [" + linuxRule + ", " + registryRule + "]}", WINDOWS, true),
        arguments(
            "{" + both + ", rules: [" + linuxRule + ", " + registryRule + "]}", LINUX_POOL_A, true),
        arguments("{" + both + ", rules: [" + linuxRule + "]}", WINDOWS, false),
        // os In [..] needs the label: a node without it is not selected (Kubernetes semantics)
        arguments("{" + both + ", rules: [" + linuxRule + "]}", NO_LABELS, false),
        arguments(
            "{nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: Exists}]}, rules:"
                + " ["
                + windowsRule
                + "]}",
            WINDOWS,
            true),
        arguments(
            "{" + windowsOnly + ", rules: [" + windowsRule + "]}",
            Map.of("kubernetes.io/os", "freebsd"),
            false));
  }

  /** A policy selects the nodes of the OSes its selector admits and it has rules for. */
  @ParameterizedTest(name = "{0} on {1} = {2}")
  @MethodSource("osCases")
  void selectsNodesOfTheOsItsSelectorAdmitsAndItHasRulesFor(
      String spec, Map<String, String> labels, boolean exp) {
    assertThat(NodeSelection.selects(policy("p", spec).getSpec(), labels)).isEqualTo(exp);
  }
}
