package io.kubefim.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import io.kubefim.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD says what SPEC §2 promises, and its CEL rules compile and behave: each rule is
 * compiled with a CEL implementation (cel-java, standard macros; Kubernetes adds libraries but
 * these rules use only the standard ones) and run on sample values. The CRD must never be stricter
 * than {@link PolicyValidator}.
 */
class CrdTest {
  private static JsonNode crd;
  private static JsonNode version;
  private static JsonNode spec;
  private static JsonNode rule;

  @BeforeAll
  static void load() throws Exception {
    crd = Json.yaml().readTree(CrdFiles.GENERATED.toFile());
    version = crd.at("/spec/versions/0");
    spec = version.at("/schema/openAPIV3Schema/properties/spec");
    rule = spec.at("/properties/rules/items");
  }

  @Test
  void identityScopeAndNames() {
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("fimpolicies.kubefim.io");
    assertThat(crd.at("/spec/group").asText()).isEqualTo("kubefim.io");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("FimPolicy");
    assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly("fimp");
    assertThat(version.at("/name").asText()).isEqualTo("v1alpha1");
    assertThat(version.at("/subresources/status").isObject()).isTrue();
  }

  @Test
  void printerColumnsForKubectlGet() {
    Map<String, String> columns = new java.util.TreeMap<>();
    version
        .at("/additionalPrinterColumns")
        .forEach(c -> columns.put(c.at("/name").asText(), c.at("/jsonPath").asText()));

    assertThat(columns)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Ready", ".status.conditions[?(@.type==\"Ready\")].status",
                "Target", ".status.targetNodes",
                "Applied", ".status.appliedNodes",
                "Age", ".metadata.creationTimestamp"));
  }

  @Test
  void schemaCarriesDescriptionsEnumsAndBounds() {
    assertThat(spec.at("/properties/rules/description").asText()).startsWith("What to monitor");
    assertThat(rule.at("/properties/paths/description").asText()).startsWith("Absolute host paths");
    assertThat(texts(spec.at("/required"))).contains("rules");
    assertThat(texts(rule.at("/required"))).doesNotContain("paths"); // paths or registry
    assertThat(spec.at("/properties/rules/minItems").asInt()).isEqualTo(1);
    assertThat(rule.at("/properties/paths/minItems").asInt()).isEqualTo(1);
    assertThat(rule.at("/properties/paths/items/pattern").asText()).isEqualTo(FimRule.PATH_PATTERN);
    assertThat(rule.at("/properties/registry/description").asText()).contains("registry keys");
    assertThat(texts(rule.at("/properties/attributes/items/enum")))
        .containsExactlyInAnyOrder(
            "content", "size", "permissions", "owner", "group", "symlinkTarget");
    assertThat(texts(rule.at("/properties/hashes/items/enum")))
        .containsExactlyInAnyOrder("sha256", "sha1", "md5");
    assertThat(spec.at("/properties/realtime/default").asBoolean()).isTrue();
    assertThat(rule.at("/properties/recursive/default").asBoolean()).isTrue();
  }

  @Test
  void everyListAndStringACelRuleSeesIsBounded() {
    // The API server rejects a CRD whose CEL rules have an unbounded estimated cost.
    assertThat(spec.at("/properties/rules/maxItems").isInt()).isTrue();
    assertThat(rule.at("/properties/paths/maxItems").isInt()).isTrue();
    assertThat(rule.at("/properties/paths/items/maxLength").isInt()).isTrue();
    assertThat(spec.at("/properties/scanInterval/maxLength").isInt()).isTrue();
    assertThat(spec.at("/properties/debounce/maxLength").isInt()).isTrue();
  }

  static Stream<Arguments> paths() {
    return Stream.of(
        arguments("/etc", true),
        arguments("/etc/*.conf", true),
        arguments("/etc/**/x", true),
        arguments("/dev/sd[a-c]", true),
        arguments("/a/[b]/c", true),
        arguments("/a\\[b", true),
        arguments("/etc/...", true),
        arguments("/etc/.hidden", true),
        arguments("/*", true),
        arguments("etc", false),
        arguments("", false),
        arguments("/", false),
        arguments("//", false),
        arguments("/etc/../root", false),
        arguments("/etc/./x", false),
        arguments("/..", false),
        arguments("/etc/.", false),
        arguments("/dev/sd[a-c", false),
        arguments("/a[b/c]", false),
        arguments("/a[/b", false));
  }

  @ParameterizedTest(name = "{0} accepted = {1}")
  @MethodSource("paths")
  void pathRulesAcceptAndRejectAsTheValidatorDoes(String path, boolean accepted) throws Exception {
    boolean crdAccepts = crdAcceptsPath(path);

    assertThat(crdAccepts).as("CRD verdict").isEqualTo(accepted);
    assertThat(PolicyValidator.pathProblem(path) == null)
        .as("validator verdict")
        .isEqualTo(accepted);
  }

  static Stream<Arguments> windowsPaths() {
    return Stream.of(
        arguments("C:\\Windows\\win.ini", true),
        arguments("c:/windows/*.ini", true),
        arguments("C:\\Program Files\\app", true),
        arguments("D:\\data\\**\\*.config", true),
        arguments("C:\\", false),
        arguments("C:/", false),
        arguments("C:", false),
        arguments("C:relative", false),
        arguments("C:\\Windows\\..\\x", false),
        arguments("C:\\.\\x", false),
        arguments("\\\\server\\share\\x", false),
        arguments("1:\\x", false));
  }

  @ParameterizedTest(name = "Windows path {0} accepted = {1}")
  @MethodSource("windowsPaths")
  void windowsPathsAcceptAndRejectAsTheValidatorDoes(String path, boolean accepted)
      throws Exception {
    assertThat(crdAcceptsPath(path)).as("CRD verdict").isEqualTo(accepted);
    assertThat(WindowsRules.pathProblem(path) == null).as("validator verdict").isEqualTo(accepted);
  }

  static Stream<Arguments> registryKeys() {
    return Stream.of(
        arguments("HKLM\\SOFTWARE\\Microsoft\\Cryptography\\OID*", true),
        arguments("hklm\\software\\x", true),
        arguments("HKEY_LOCAL_MACHINE\\SECURITY\\POLICY\\SECRETS", true),
        arguments("HKU\\.DEFAULT\\Software", true),
        arguments("HKLX\\SOFTWARE", false),
        arguments("SOFTWARE\\Microsoft", false),
        arguments("HKLMX\\SOFTWARE", false));
  }

  @ParameterizedTest(name = "registry key {0} accepted = {1}")
  @MethodSource("registryKeys")
  void registryKeysAcceptAndRejectAsTheValidatorDoes(String key, boolean accepted) {
    JsonNode item = rule.at("/properties/registry/items");
    assertThat(Pattern.compile(item.at("/pattern").asText()).matcher(key).find())
        .as("CRD verdict")
        .isEqualTo(accepted);
    assertThat(WindowsRules.registryProblem(key) == null)
        .as("validator verdict")
        .isEqualTo(accepted);
  }

  @Test
  void aRuleHasPathsOrRegistryKeysNotBothNotNeither() throws Exception {
    MapType object = MapType.create(SimpleType.STRING, SimpleType.DYN);
    assertThat(evalAll(rule, object, Map.of("paths", List.of("/etc")))).isTrue();
    assertThat(evalAll(rule, object, Map.of("registry", List.of("HKLM\\SOFTWARE\\X")))).isTrue();
    assertThat(
            evalAll(
                rule,
                object,
                Map.of("paths", List.of("C:\\x"), "registry", List.of("HKLM\\SOFTWARE\\X"))))
        .isFalse();
    assertThat(evalAll(rule, object, Map.of("recursive", true))).isFalse();
    assertThat(evalAll(rule, object, Map.of("paths", List.of()))).isFalse();
  }

  @ParameterizedTest(name = "{0} rejected by the validator, maybe by the CRD")
  @MethodSource("validatorOnly")
  void validatorIsAtLeastAsStrictAsTheCrd(String path) throws Exception {
    assertThat(PolicyValidator.pathProblem(path)).isNotNull();
  }

  static Stream<String> validatorOnly() {
    // a reversed range: RE2 cannot compare the ends, so only the validator (compiling) says it
    return Stream.of("/etc/a**", "/etc/a\tb", "/x\\", "/etc/[z-a]", "/etc/[!]");
  }

  static Stream<Arguments> filters() {
    return Stream.of(
        arguments("*.swp", true),
        arguments("cache/**", true),
        arguments("[a-c]*.log", true),
        arguments("a\\[b", true),
        arguments("x[]y]", true),
        arguments("*.[ch", false),
        arguments("logs/[a/b]", false),
        arguments("/abs/[x", false));
  }

  @ParameterizedTest(name = "include/exclude {0} accepted = {1}")
  @MethodSource("filters")
  void filterRulesAcceptAndRejectAsTheValidatorDoes(String pattern, boolean accepted)
      throws Exception {
    for (String field : List.of("include", "exclude")) {
      assertThat(
              evalAll(
                  rule.at("/properties/" + field),
                  ListType.create(SimpleType.STRING),
                  List.of(pattern)))
          .as("CRD verdict on %s", field)
          .isEqualTo(accepted);
    }
    FimRule r = new FimRule();
    r.setPaths(List.of("/etc"));
    r.setInclude(List.of(pattern));
    r.setExclude(List.of(pattern));
    FimPolicySpec s = new FimPolicySpec();
    s.setRules(new ArrayList<>(List.of(r)));
    assertThat(PolicyValidator.isValid(FimPolicy.of("p", s)))
        .as("validator verdict")
        .isEqualTo(accepted);
  }

  @ParameterizedTest(name = "scanInterval {0} = {1}")
  @MethodSource("scanIntervals")
  void scanIntervalRuleMatchesTheValidator(String value, boolean accepted) throws Exception {
    assertThat(stringRules(spec.at("/properties/scanInterval"), value)).isEqualTo(accepted);
    assertThat(PolicyValidator.isValid(withDurations(value, null))).isEqualTo(accepted);
  }

  static Stream<Arguments> scanIntervals() {
    return Stream.of(
        arguments("5m", true),
        arguments("6h", true),
        arguments("1h30m", true),
        arguments("300s", true),
        arguments("4m59s", false),
        arguments("299999ms", false),
        arguments("1m", false));
  }

  @ParameterizedTest(name = "debounce {0} = {1}")
  @MethodSource("debounces")
  void debounceRuleMatchesTheValidator(String value, boolean accepted) throws Exception {
    assertThat(stringRules(spec.at("/properties/debounce"), value)).isEqualTo(accepted);
    assertThat(PolicyValidator.isValid(withDurations(null, value))).isEqualTo(accepted);
  }

  static Stream<Arguments> debounces() {
    return Stream.of(
        arguments("500ms", true),
        arguments("1h", true),
        arguments("0s", true),
        arguments("61m", false),
        arguments("1h0m1s", false));
  }

  private static boolean crdAcceptsPath(String path) throws Exception {
    JsonNode paths = rule.at("/properties/paths");
    JsonNode item = paths.at("/items");
    if (path.length() < item.at("/minLength").asInt()
        || !Pattern.compile(item.at("/pattern").asText()).matcher(path).find()) {
      return false;
    }
    return evalAll(paths, ListType.create(SimpleType.STRING), List.of(path));
  }

  private static boolean stringRules(JsonNode property, String value) throws Exception {
    if (!Pattern.compile(property.at("/pattern").asText()).matcher(value).find()) {
      return false;
    }
    return evalAll(property, SimpleType.STRING, value);
  }

  /** True when every x-kubernetes-validations rule of {@code property} holds for {@code self}. */
  private static boolean evalAll(JsonNode property, CelType type, Object self) throws Exception {
    JsonNode rules = property.at("/x-kubernetes-validations");
    assertThat(rules.size()).as("x-kubernetes-validations present").isPositive();
    Cel cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", type)
            .build();
    boolean all = true;
    for (JsonNode r : rules) {
      assertThat(r.at("/message").asText()).isNotBlank();
      Object result =
          cel.createProgram(cel.compile(r.at("/rule").asText()).getAst())
              .eval(Map.of("self", self));
      all &= (Boolean) result;
    }
    return all;
  }

  private static FimPolicy withDurations(String scanInterval, String debounce) {
    FimPolicySpec s = new FimPolicySpec();
    FimRule r = new FimRule();
    r.setPaths(List.of("/etc"));
    s.setRules(new ArrayList<>(List.of(r)));
    s.setScanInterval(scanInterval);
    s.setDebounce(debounce);
    return FimPolicy.of("p", s);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
