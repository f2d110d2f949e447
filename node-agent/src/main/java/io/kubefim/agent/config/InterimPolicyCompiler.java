package io.kubefim.agent.config;

import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.glob.GlobSyntaxException;
import io.kubefim.api.glob.PathFilter;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;
import io.kubefim.api.policy.FimRule;
import io.kubefim.api.policy.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stop-gap FimPolicy → AgentConfig compiler for local {@code --policies} mode, so the agent runs
 * on its own before {@code io.kubefim.api.compile.PolicyCompiler} (branch {@code api}) lands.
 *
 * <p>TODO(issue 2): replace every call with the api module's PolicyCompiler and delete this class;
 * it does not merge rules across policies (the agent merges at selection time anyway) nor evaluate
 * node selectors (local mode: every policy applies to this node).
 */
final class InterimPolicyCompiler {
  private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");
  private static final Pattern QUANTITY = Pattern.compile("^([0-9]+)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$");

  private InterimPolicyCompiler() {}

  static AgentConfig compile(List<FimPolicy> policies, String node) throws InvalidConfigException {
    List<String> problems = new ArrayList<>();
    List<AgentRule> rules = new ArrayList<>();
    List<AgentConfig.AppliedPolicy> applied = new ArrayList<>();
    for (FimPolicy p : policies) {
      String name = p.getMetadata() == null ? null : p.getMetadata().getName();
      FimPolicySpec spec = p.getSpec();
      if (name == null || name.isBlank()) {
        problems.add("a FimPolicy has no metadata.name");
        continue;
      }
      if (spec == null || spec.getRules() == null || spec.getRules().isEmpty()) {
        problems.add(name + ": spec.rules must not be empty");
        continue;
      }
      if (Boolean.TRUE.equals(spec.getPaused())) {
        continue;
      }
      applied.add(
          new AgentConfig.AppliedPolicy(
              name, p.getMetadata().getGeneration() == null ? 0 : p.getMetadata().getGeneration()));
      long scan =
          seconds(
              spec.getScanInterval(),
              FimPolicySpec.DEFAULT_SCAN_INTERVAL,
              name + ": spec.scanInterval",
              problems);
      if (scan > 0 && scan < 300) {
        problems.add(name + ": spec.scanInterval must be at least 5m");
      }
      long debounce =
          millis(
              spec.getDebounce(),
              FimPolicySpec.DEFAULT_DEBOUNCE,
              name + ": spec.debounce",
              problems);
      boolean realtime = spec.getRealtime() == null || spec.getRealtime();
      Map<String, String> tags = spec.getTags() == null ? Map.of() : new TreeMap<>(spec.getTags());
      for (int i = 0; i < spec.getRules().size(); i++) {
        FimRule r = spec.getRules().get(i);
        String field = name + ": spec.rules[" + i + "]";
        if (r.getPaths() == null || r.getPaths().isEmpty()) {
          problems.add(field + ".paths must not be empty");
          continue;
        }
        check(r.getInclude(), field + ".include", problems);
        check(r.getExclude(), field + ".exclude", problems);
        long max = bytes(r.getMaxFileSize(), field + ".maxFileSize", problems);
        for (int j = 0; j < r.getPaths().size(); j++) {
          String path = r.getPaths().get(j);
          try {
            PathGlob.compile(path);
          } catch (GlobSyntaxException e) {
            problems.add(field + ".paths[" + j + "] '" + path + "': " + e.getMessage());
            continue;
          }
          rules.add(
              new AgentRule(
                  normalize(path),
                  r.getRecursive() == null || r.getRecursive(),
                  r.getInclude() == null ? List.of() : List.copyOf(r.getInclude()),
                  r.getExclude() == null ? List.of() : List.copyOf(r.getExclude()),
                  r.getAttributes() == null || r.getAttributes().isEmpty()
                      ? EnumSet.allOf(Attribute.class)
                      : EnumSet.copyOf(r.getAttributes()),
                  r.getHashes() == null || r.getHashes().isEmpty()
                      ? EnumSet.of(HashAlgorithm.SHA256)
                      : EnumSet.copyOf(r.getHashes()),
                  max,
                  realtime,
                  scan,
                  debounce,
                  List.of(name),
                  tags));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(String.join("; ", problems));
    }
    rules.sort(Comparator.comparing(AgentRule::path));
    applied.sort(Comparator.comparing(AgentConfig.AppliedPolicy::name));
    return new AgentConfig(AgentConfig.FORMAT_VERSION, version(rules), node, applied, rules);
  }

  private static void check(List<String> patterns, String field, List<String> problems) {
    if (patterns == null) {
      return;
    }
    for (String p : patterns) {
      try {
        PathFilter.compile(p);
      } catch (GlobSyntaxException e) {
        problems.add(field + " '" + p + "': " + e.getMessage());
      }
    }
  }

  private static String normalize(String path) {
    String p = path.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  static long millis(String value, String def, String field, List<String> problems) {
    String v = value == null ? def : value;
    Matcher m = DURATION.matcher(v);
    double total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      end = m.end();
      double n = Double.parseDouble(m.group(1));
      total +=
          switch (m.group(2)) {
            case "ns" -> n / 1e6;
            case "us" -> n / 1e3;
            case "ms" -> n;
            case "s" -> n * 1e3;
            case "m" -> n * 60e3;
            default -> n * 3600e3;
          };
    }
    if (end != v.length() || v.isEmpty()) {
      problems.add(field + " '" + v + "' is not a duration (e.g. 500ms, 6h)");
      return 0;
    }
    return (long) total;
  }

  private static long seconds(String value, String def, String field, List<String> problems) {
    return millis(value, def, field, problems) / 1000;
  }

  static long bytes(String value, String field, List<String> problems) {
    String v = value == null ? FimRule.DEFAULT_MAX_FILE_SIZE : value;
    Matcher m = QUANTITY.matcher(v);
    if (!m.matches()) {
      problems.add(field + " '" + v + "' is not a size (e.g. 64Mi)");
      return 0;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    long mult =
        switch (unit) {
          case "Ki" -> 1L << 10;
          case "Mi" -> 1L << 20;
          case "Gi" -> 1L << 30;
          case "Ti" -> 1L << 40;
          case "k", "K" -> 1_000L;
          case "M" -> 1_000_000L;
          case "G" -> 1_000_000_000L;
          case "T" -> 1_000_000_000_000L;
          default -> 1L;
        };
    return n * mult;
  }

  private static String version(List<AgentRule> rules) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(rules.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
