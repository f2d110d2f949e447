package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyFilesTest {
  private static final String HEAD =
      """
      apiVersion: kubefim.io/v1alpha1
      kind: FimPolicy
      metadata:
        name: p
      spec:
      """;

  static Stream<Arguments> badDocuments() {
    return Stream.of(
        arguments(
            "unknown hash",
            HEAD + "  rules:\n    - paths: [/etc]\n      hashes: [sha512]\n",
            "bad.yaml:8: spec.rules[0].hashes[0]: unknown value \"sha512\" (allowed: sha256,"
                + " sha1, md5)"),
        arguments(
            "unknown attribute",
            HEAD
                + "  rules:\n    - paths: [/etc]\n      attributes:\n        - content\n"
                + "        - mtime\n",
            "bad.yaml:10: spec.rules[0].attributes[1]: unknown value \"mtime\" (allowed: content,"
                + " size, permissions, owner, group, symlinkTarget)"),
        arguments(
            "misspelt field",
            HEAD + "  rules:\n    - pahts: [/etc]\n",
            "bad.yaml:7: spec.rules[0].pahts: unknown field \"pahts\" (known: attributes,"
                + " exclude, hashes, include, maxFileSize, paths, recursive, registry)"),
        arguments(
            "scalar for a list",
            HEAD + "  rules:\n    - paths: /etc\n",
            "bad.yaml:7: spec.rules[0].paths: expected a list"),
        arguments(
            "not a boolean",
            HEAD + "  realtime: sometimes\n  rules: [{paths: [/etc]}]\n",
            "bad.yaml:6: spec.realtime: invalid value \"sometimes\" (expected true or false)"),
        arguments(
            "duplicate key",
            HEAD + "  debounce: 1s\n  debounce: 2s\n  rules: [{paths: [/etc]}]\n",
            "bad.yaml:7: not valid YAML: Duplicate field 'debounce'"),
        arguments(
            "broken YAML",
            HEAD + "  rules: [{paths: [/etc]}\n",
            "bad.yaml:6: not valid YAML: while parsing a flow sequence; expected ',' or ']',"
                + " but got <stream end>"),
        arguments(
            "another kind",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
            "bad.yaml:1: not a FimPolicy: expected apiVersion kubefim.io/v1alpha1 and kind"
                + " FimPolicy, found v1 ConfigMap"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDocuments")
  void reportsFileLineFieldAndReason(String name, String yaml, String expected) {
    PolicyLoadResult result = PolicyFiles.parse("bad.yaml", yaml);

    assertThat(result.loaded()).isEmpty();
    assertThat(result.parseProblems()).singleElement().asString().startsWith(expected);
  }

  @Test
  void readsEveryDocumentAndKeepsGoingPastABadOne() {
    String yaml =
        """
        # two policies and a bad one
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: a}
        spec:
          rules: [{paths: [/etc]}]
        ---
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: bad}
        spec:
          rules: [{paths: [/etc], hashes: [crc32]}]
        ---
        # only a comment
        ---
        apiVersion: kubefim.io/v1alpha1
        kind: FimPolicy
        metadata: {name: b}
        spec:
          rules: [{paths: [/bin]}]
        ...
        """;

    PolicyLoadResult result = PolicyFiles.parse("many.yaml", yaml);

    assertThat(result.loaded())
        .extracting(p -> p.policy().getMetadata().getName(), LoadedPolicy::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 1),
            org.assertj.core.groups.Tuple.tuple("b", 16));
    assertThat(result.parseProblems())
        .map(FileProblem::toString)
        .containsExactly(
            "many.yaml:12: spec.rules[0].hashes[0]: unknown value \"crc32\" (allowed: sha256,"
                + " sha1, md5)");
  }

  @Test
  void locatesValidationProblemsOnTheirLines() {
    String yaml =
        HEAD
            + """
              scanInterval: 1m
              rules:
                - paths:
                    - /etc
                    - etc/passwd
                - exclude: ['[x']
            """;

    PolicyLoadResult result = PolicyFiles.parse("v.yaml", yaml);

    assertThat(result.parseProblems()).isEmpty();
    assertThat(result.validPolicies()).isEmpty();
    assertThat(result.allProblems())
        .map(FileProblem::toString)
        .containsExactly(
            "v.yaml:6: spec.scanInterval: must be at least 5m",
            "v.yaml:10: spec.rules[0].paths[1]: must be an absolute path",
            "v.yaml:11: spec.rules[1].paths: must have at least one path (or the rule registry keys)",
            "v.yaml:11: spec.rules[1].exclude[0]: unclosed character class '[' in '[x'");
  }

  @Test
  void loadsADirectoryByNameAndRejectsDuplicateNames(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("b.yaml"),
        HEAD.replace("name: p", "name: one") + "  rules: [{paths: [/bin]}]\n");
    Files.writeString(
        dir.resolve("a.yml"),
        HEAD.replace("name: p", "name: one") + "  rules: [{paths: [/etc]}]\n");
    Files.writeString(
        dir.resolve("c.yaml"),
        HEAD.replace("name: p", "name: two") + "  rules: [{paths: [/usr]}]\n");
    Files.writeString(dir.resolve("notes.txt"), "not yaml: [");
    Files.writeString(dir.resolve(".hidden.yaml"), "not yaml: [");
    Files.createDirectory(dir.resolve("sub.yaml"));

    PolicyLoadResult result = PolicyFiles.load(dir);

    assertThat(result.loaded())
        .extracting(p -> p.policy().getSpec().getRules().get(0).getPaths().get(0))
        .containsExactly("/etc", "/usr");
    assertThat(result.parseProblems())
        .map(FileProblem::toString)
        .containsExactly(
            dir.resolve("b.yaml")
                + ":4: metadata.name: duplicate policy name \"one\" (first defined at "
                + dir.resolve("a.yml")
                + ":1)");
  }

  @Test
  void loadsASingleFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.txt");
    Files.writeString(file, HEAD + "  rules: [{paths: [/etc]}]\n");

    assertThat(PolicyFiles.load(file).policies())
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo("p"));
  }

  @Test
  void reportsTextThatIsNotUtf8(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9});

    assertThat(PolicyFiles.load(file).parseProblems())
        .map(FileProblem::toString)
        .containsExactly(file + ":1: not UTF-8 text");
  }

  @Test
  void lineNumbersFollowTheFileAcrossDocuments() {
    List<PolicyFiles.Document> docs = PolicyFiles.split("a: 1\n---\nb: 2\n--- # c\nc: 3\n");

    assertThat(docs).extracting(PolicyFiles.Document::firstLine).containsExactly(1, 3, 5);
    assertThat(docs.get(2).text().lines().toList()).containsExactly("", "", "", "", "c: 3");
  }
}
