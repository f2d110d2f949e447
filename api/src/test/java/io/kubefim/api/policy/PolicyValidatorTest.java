package io.kubefim.api.policy;

import static io.kubefim.api.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyValidatorTest {

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        arguments("no rules", "rules: []", List.of("spec.rules: must have at least one rule")),
        arguments(
            "no paths",
            "rules: [{paths: [/etc]}, {paths: []}]",
            List.of(
                "spec.rules[1].paths: must have at least one path (or the rule registry keys)")),
        arguments(
            "relative path",
            "rules: [{paths: [/etc]}, {paths: [/bin, etc/passwd]}]",
            List.of("spec.rules[1].paths[1]: must be an absolute path")),
        arguments(
            "empty path",
            "rules: [{paths: ['']}]",
            List.of("spec.rules[0].paths[0]: must not be empty")),
        arguments(
            "dot-dot segment",
            "rules: [{paths: [/etc/../root]}]",
            List.of("spec.rules[0].paths[0]: must not contain '..' segments")),
        arguments(
            "dot segment",
            "rules: [{paths: [/etc/./ssh]}]",
            List.of("spec.rules[0].paths[0]: must not contain '.' segments")),
        arguments(
            "unclosed class",
            "rules: [{paths: ['/dev/sd[a-c']}]",
            List.of("spec.rules[0].paths[0]: unclosed character class '[' in 'sd[a-c'")),
        arguments(
            "reversed ranges in a path, an include and an exclude (issue 11)",
            "rules: [{paths: [/etc, '/etc/[z-a]'], include: ['*.[z-a]'], exclude: ['[9-0]*']}]",
            List.of(
                "spec.rules[0].paths[1]: reversed range 'z-a' in character class of '[z-a]':"
                    + " write the lower end first",
                "spec.rules[0].include[0]: reversed range 'z-a' in character class of '*.[z-a]':"
                    + " write the lower end first",
                "spec.rules[0].exclude[0]: reversed range '9-0' in character class of '[9-0]*':"
                    + " write the lower end first")),
        arguments(
            "partial double star",
            "rules: [{paths: ['/etc/a**']}]",
            List.of("spec.rules[0].paths[0]: '**' must be a whole path segment, found 'a**'")),
        arguments(
            "host root",
            "rules: [{paths: [/]}]",
            List.of(
                "spec.rules[0].paths[0]: must not be the host root /: name the directories to"
                    + " monitor")),
        arguments(
            "control character",
            "rules: [{paths: [\"/etc/a\\tb\"]}]",
            List.of("spec.rules[0].paths[0]: must not contain control characters")),
        arguments(
            "bad include and exclude",
            "rules: [{paths: [/etc], include: ['[x'], exclude: ['*.swp', '', 'a/../b']}]",
            List.of(
                "spec.rules[0].include[0]: unclosed character class '[' in '[x'",
                "spec.rules[0].exclude[1]: must not be empty",
                "spec.rules[0].exclude[2]: must not contain '..' segments")),
        arguments(
            "scanInterval too small",
            "scanInterval: 4m59s\nrules: [{paths: [/etc]}]",
            List.of("spec.scanInterval: must be at least 5m")),
        arguments(
            "scanInterval unparsable",
            "scanInterval: 1d\nrules: [{paths: [/etc]}]",
            List.of(
                "spec.scanInterval: not a duration: \"1d\" (expected e.g. 500ms, 90s, 5m, 6h,"
                    + " 1h30m)")),
        arguments(
            "debounce unparsable",
            "debounce: fast\nrules: [{paths: [/etc]}]",
            List.of(
                "spec.debounce: not a duration: \"fast\" (expected e.g. 500ms, 90s, 5m, 6h,"
                    + " 1h30m)")),
        arguments(
            "debounce too long",
            "debounce: 61m\nrules: [{paths: [/etc]}]",
            List.of("spec.debounce: must be at most 1h")),
        arguments(
            "maxFileSize not a quantity",
            "rules: [{paths: [/etc], maxFileSize: 64MB}]",
            List.of(
                "spec.rules[0].maxFileSize: not a byte quantity: \"64MB\" (a whole number with an"
                    + " optional suffix Ki, Mi, Gi, Ti, k, M, G, T; e.g. 64Mi)")),
        arguments(
            "maxFileSize overflow",
            "rules: [{paths: [/etc], maxFileSize: 99999999999T}]",
            List.of(
                "spec.rules[0].maxFileSize: must be a whole number of bytes that fits 63 bits:"
                    + " \"99999999999T\"")),
        arguments(
            "null attribute and hash",
            "rules: [{paths: [/etc], attributes: [content, null], hashes: [null]}]",
            List.of(
                "spec.rules[0].attributes[1]: must not be null",
                "spec.rules[0].hashes[0]: must not be null")),
        arguments(
            "bad selector",
            "nodeSelector: {matchExpressions: [{key: a, operator: Gt, values: ['1']},"
                + " {key: b, operator: In}, {key: c, operator: Exists, values: [x]}, {operator:"
                + " Exists}]}\nrules: [{paths: [/etc]}]",
            List.of(
                "spec.nodeSelector.matchExpressions[0].operator: unknown operator \"Gt\""
                    + " (allowed: In, NotIn, Exists, DoesNotExist)",
                "spec.nodeSelector.matchExpressions[1].values: must not be empty for In",
                "spec.nodeSelector.matchExpressions[2].values: must be empty for Exists",
                "spec.nodeSelector.matchExpressions[3].key: must be set")),
        arguments(
            "bad tolerations",
            "tolerations: [{key: a, operator: Maybe}, {operator: Exists, value: x},"
                + " {operator: Equal, value: y}, {key: k, effect: NoRun},"
                + " {key: k, effect: NoSchedule, tolerationSeconds: 5}]\n"
                + "rules: [{paths: [/etc]}]",
            List.of(
                "spec.tolerations[0].operator: unknown operator \"Maybe\" (allowed: Exists,"
                    + " Equal)",
                "spec.tolerations[1].value: must be empty for operator Exists",
                "spec.tolerations[2].key: must be set unless operator is Exists",
                "spec.tolerations[3].effect: unknown effect \"NoRun\" (allowed: NoSchedule,"
                    + " PreferNoSchedule, NoExecute)",
                "spec.tolerations[4].tolerationSeconds: only allowed with effect NoExecute")),
        arguments(
            "every problem at once, in document order",
            "scanInterval: 1m\ndebounce: 2h\nrules: [{paths: [rel, /ok, /a/../b]},"
                + " {paths: []}, {paths: ['/x[']}]",
            List.of(
                "spec.rules[0].paths[0]: must be an absolute path",
                "spec.rules[0].paths[2]: must not contain '..' segments",
                "spec.rules[1].paths: must have at least one path (or the rule registry keys)",
                "spec.rules[2].paths[0]: unclosed character class '[' in 'x['",
                "spec.scanInterval: must be at least 5m",
                "spec.debounce: must be at most 1h")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void reportsEveryProblemWithItsFieldPath(String name, String spec, List<String> expected) {
    List<ValidationProblem> problems = PolicyValidator.validate(policy("p", spec));

    assertThat(problems).map(ValidationProblem::toString).containsExactlyElementsOf(expected);
    assertThat(PolicyValidator.isValid(policy("p", spec))).isFalse();
  }

  static Stream<String> validSpecs() {
    return Stream.of(
        "rules: [{paths: [/etc]}]",
        "rules: [{paths: [/etc/*.conf, /etc/crontab, '/etc/**/*.sh', '/dev/sd[a-c]', '/*']}]",
        "rules: [{paths: [/etc//ssh/], exclude: ['*.swp', '*~', 'cache/**', /etc/x/**]}]",
        "realtime: false\nscanInterval: 5m\ndebounce: 1h\npaused: true\nrules: [{paths: [/etc]}]",
        "scanInterval: 1h30m\ndebounce: 0s\nrules: [{paths: [/boot], maxFileSize: '0'}]",
        "rules: [{paths: [/usr/bin], recursive: false, attributes: [content, owner],"
            + " hashes: [sha256, sha1, md5], maxFileSize: 1Gi}]",
        "nodeSelector: {matchLabels: {pool: system}, matchExpressions: [{key: zone, operator:"
            + " In, values: [a, b]}, {key: gpu, operator: DoesNotExist}]}\n"
            + "tolerations: [{operator: Exists}, {key: k, operator: Equal, value: v, effect:"
            + " NoExecute, tolerationSeconds: 30}]\n"
            + "tags: {compliance: pci-dss}\nrules: [{paths: [/etc]}]");
  }

  @ParameterizedTest
  @MethodSource("validSpecs")
  void acceptsValidPolicies(String spec) {
    assertThat(PolicyValidator.validate(policy("linux-recommended", spec))).isEmpty();
  }

  @Test
  void enforcesTheBoundsTheCrdSchemaSets() {
    String manyPaths =
        String.join(", ", java.util.Collections.nCopies(FimRule.MAX_PATHS + 1, "/etc"));
    String longPath = "/" + "a".repeat(FimRule.MAX_PATH_LENGTH);
    String manyRules =
        String.join(
            ", ", java.util.Collections.nCopies(FimPolicySpec.MAX_RULES + 1, "{paths: [/etc]}"));
    String manyFilters =
        String.join(", ", java.util.Collections.nCopies(FimRule.MAX_FILTERS + 1, "x"));

    assertThat(
            PolicyValidator.validate(
                policy(
                    "p",
                    "scanInterval: 1h0m0s0ms0us0ns0h0m0s0ms0us0ns0h0m0s\n"
                        + "rules: ["
                        + manyRules
                        + "]")))
        .map(ValidationProblem::toString)
        .containsExactly(
            "spec.rules: must have at most 64 rules",
            "spec.scanInterval: must be at most 32 characters long");
    assertThat(
            PolicyValidator.validate(
                policy(
                    "p",
                    "rules: [{paths: ["
                        + manyPaths
                        + "]}, {paths: ["
                        + longPath
                        + "], exclude: ["
                        + manyFilters
                        + "]}]")))
        .map(ValidationProblem::toString)
        .containsExactly(
            "spec.rules[0].paths: must have at most 128 paths",
            "spec.rules[1].paths[0]: must be at most 1024 characters long",
            "spec.rules[1].exclude: must have at most 64 patterns");
  }

  @Test
  void requiresSpec() {
    FimPolicy p = FimPolicy.of("p", null);

    assertThat(PolicyValidator.validate(p))
        .map(ValidationProblem::toString)
        .containsExactly("spec: must be set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Upper", "under_score", "-lead", "trail-", "a..b"})
  void requiresADnsSubdomainName(String name) {
    FimPolicy p = policy(name, "rules: [{paths: [/etc]}]");

    assertThat(PolicyValidator.validate(p))
        .singleElement()
        .extracting(ValidationProblem::fieldPath)
        .isEqualTo("metadata.name");
  }

  @Test
  void rejectsAMissingName() {
    FimPolicy p = policy(null, "rules: [{paths: [/etc]}]");

    assertThat(PolicyValidator.validate(p))
        .map(ValidationProblem::toString)
        .containsExactly("metadata.name: must be set");
  }
}
