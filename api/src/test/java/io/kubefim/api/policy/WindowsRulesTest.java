package io.kubefim.api.policy;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Windows rules (issue 15): Windows paths and registry keys, and rules whose OS the policy's
 * selector does not admit. Each case: the spec, then every problem as "field: fragment".
 */
class WindowsRulesTest {
  private static final String WINDOWS =
      "nodeSelector: {matchLabels: {kubernetes.io/os: windows}}\n";

  static Stream<Arguments> invalid() {
    return Stream.of(
        arguments(
            "rules: [{paths: ['C:\\Windows\\win.ini']}]",
            List.of("spec.rules[0]: a Windows rule (C:\\ paths or registry keys), but")),
        arguments(
            "rules: [{paths: [/etc]}, {registry: ['HKLM\\SOFTWARE\\X']}]",
            List.of("spec.rules[1]: a Windows rule")),
        arguments(
            WINDOWS + "rules: [{paths: [/etc]}]",
            List.of("spec.rules[0]: a Linux rule, but spec.nodeSelector selects Windows nodes")),
        arguments(
            "nodeSelector: {matchLabels: {kubernetes.io/os: freebsd}}\nrules: [{paths: [/etc]}]",
            List.of("spec.nodeSelector: selects no node an agent runs on")),
        arguments(
            WINDOWS + "rules: [{paths: ['C:\\Windows', /etc]}]",
            List.of("spec.rules[0].paths[1]: a Linux path in a rule of Windows paths")),
        arguments(
            "rules: [{paths: [/etc, 'C:\\Windows']}]",
            List.of("spec.rules[0].paths[1]: a Windows path in a rule of Linux paths")),
        arguments(
            WINDOWS + "rules: [{paths: ['C:\\Windows'], registry: ['HKLM\\SOFTWARE\\X']}]",
            List.of("spec.rules[0]: has paths and registry keys")),
        arguments(
            WINDOWS
                + "rules: [{paths: ['C:\\', 'c:/', 'C:\\a\\..\\b', 'C:\\a|b', 'C:\\x\\[ab',"
                + " 'C:\\ok\\*.ini']}]",
            List.of(
                "spec.rules[0].paths[0]: must not be a whole drive (C:\\)",
                "spec.rules[0].paths[1]: must not be a whole drive",
                "spec.rules[0].paths[2]: not a normalized path (has a '..' segment)",
                "spec.rules[0].paths[3]: a character Windows does not allow",
                "spec.rules[0].paths[4]: unclosed character class")),
        arguments(
            WINDOWS
                + "rules: [{registry: ['HKLX\\SOFTWARE', 'HKLM', 'HKLM\\SOFT*\\Run',"
                + " 'HKLM\\SOFTWARE\\\\Run', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography\\OID*']}]",
            List.of(
                "spec.rules[0].registry[0]: \"HKLX\" is not a registry hive",
                "spec.rules[0].registry[1]: must name a key below the hive HKEY_LOCAL_MACHINE",
                "spec.rules[0].registry[2]: a wildcard (* or ?) is allowed in the last key name"
                    + " only",
                "spec.rules[0].registry[3]: an empty key name (two backslashes)")),
        arguments(
            WINDOWS
                + "rules: [{registry: ['HKLM\\SOFTWARE\\X'], attributes: [content], hashes:"
                + " [md5], maxFileSize: 1Mi, include: ['*.[x']}]",
            List.of(
                "spec.rules[0].attributes: applies to file paths only",
                "spec.rules[0].hashes: applies to file paths only",
                "spec.rules[0].maxFileSize: applies to file paths only",
                "spec.rules[0].include[0]: unclosed character class")),
        arguments(
            WINDOWS + "rules: [{paths: ['C:\\app'], exclude: ['C:\\app\\[x']}]",
            List.of("spec.rules[0].exclude[0]: unclosed character class")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void namesTheFieldOfEveryProblem(String spec, List<String> expected) {
    List<String> problems =
        PolicyValidator.validate(policy("p", spec)).stream()
            .map(ValidationProblem::toString)
            .toList();

    assertThat(problems).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(problems.get(i)).startsWith(expected.get(i));
    }
  }

  static Stream<String> valid() {
    return Stream.of(
        WINDOWS + "rules: [{paths: ['C:\\Windows\\win.ini', 'c:/windows/System32/*.exe']}]",
        WINDOWS + "rules: [{paths: ['D:\\data\\**\\*.config'], exclude: ['*.tmp', 'cache\\**']}]",
        WINDOWS
            + "rules: [{registry: ['HKLM\\SOFTWARE\\Microsoft\\Cryptography\\OID*',"
            + " 'HKEY_LOCAL_MACHINE\\SECURITY\\POLICY\\SECRETS', 'hku\\.DEFAULT\\Software\\Run?'],"
            + " recursive: false, exclude: ['MRU*']}]",
        "nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux,"
            + " windows]}]}\n"
            + "rules: [{paths: [/etc]}, {paths: ['C:\\Windows']}, {registry: ['HKLM\\SYSTEM\\X']}]",
        "nodeSelector: {matchExpressions: [{key: kubernetes.io/os, operator: Exists}]}\n"
            + "rules: [{paths: ['C:\\Windows']}]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsWindowsRules(String spec) {
    assertThat(PolicyValidator.validate(policy("p", spec))).isEmpty();
  }
}
