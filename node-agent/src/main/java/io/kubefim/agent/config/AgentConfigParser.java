package io.kubefim.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.json.Json;
import io.kubefim.api.windows.RegistryPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Turns a config body (config-service's answer, the saved {@code config.json}) into an {@link
 * AgentConfig} the engine can run, or says why not. Checked before the config is saved or handed
 * on, so that a broken or hostile body is refused and the config in force is kept: a rule whose
 * glob does not compile would otherwise fail the engine on every retry, and a saved one would fail
 * every start. Pure and thread-safe.
 *
 * <p>Rule paths are Linux paths ({@code /etc/ssh}), Windows paths ({@code C:\Windows\win.ini},
 * issue 15) or, for registry rules, registry keys ({@code HKEY_LOCAL_MACHINE\SOFTWARE\...}). One
 * agent runs on one OS: a config whose rules are for both (a Linux path beside a Windows path or a
 * registry key) is refused, naming the first rule that differs from the first rule's OS.
 */
public final class AgentConfigParser {
  /** Longest debounce a policy may ask for (PolicyValidator.MAX_DEBOUNCE). */
  static final long MAX_DEBOUNCE_MILLIS = 3_600_000;

  /** Longest scan interval: Go's longest duration, so seconds times 1000 never overflows. */
  static final long MAX_SCAN_INTERVAL_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

  private AgentConfigParser() {}

  /**
   * The config in {@code body}.
   *
   * @throws InvalidConfigException not JSON, not an AgentConfig, a newer format, no version, or a
   *     rule the agent cannot run; the message names the field
   */
  public static AgentConfig parse(byte[] body) throws InvalidConfigException {
    AgentConfig config;
    try {
      config = Json.mapper().readValue(body, AgentConfig.class);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          "not an agent config: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigException("not an agent config: " + e, e);
    }
    check(config);
    return config;
  }

  /**
   * Checks a config that was already read.
   *
   * @throws InvalidConfigException as {@link #parse}
   */
  public static void check(AgentConfig config) throws InvalidConfigException {
    if (config == null) {
      throw new InvalidConfigException("not an agent config: null");
    }
    if (config.formatVersion() > AgentConfig.FORMAT_VERSION) {
      throw new InvalidConfigException(
          "formatVersion "
              + config.formatVersion()
              + " is newer than this agent reads ("
              + AgentConfig.FORMAT_VERSION
              + ")");
    }
    if (config.version() == null || config.version().isBlank()) {
      throw new InvalidConfigException("version: missing");
    }
    for (int i = 0; i < config.rules().size(); i++) {
      String problem = ruleProblem(config.rules().get(i));
      if (problem != null) {
        throw new InvalidConfigException("rules[" + i + "]." + problem);
      }
    }
    checkOneOs(config);
  }

  private static void checkOneOs(AgentConfig config) throws InvalidConfigException {
    List<AgentRule> rules = config.rules();
    boolean first = !rules.isEmpty() && isWindows(rules.get(0));
    for (int i = 1; i < rules.size(); i++) {
      if (isWindows(rules.get(i)) != first) {
        throw new InvalidConfigException(
            "rules["
                + i
                + "].path: "
                + describe(rules.get(i))
                + " in a config whose rules[0] is "
                + describe(rules.get(0))
                + ": one agent runs the rules of one OS");
      }
    }
  }

  /** A Windows rule: a registry key or a Windows path (the agent's own view, as NodeOs's). */
  private static boolean isWindows(AgentRule rule) {
    return rule.registry() || WindowsPaths.looksWindows(rule.path());
  }

  private static String describe(AgentRule rule) {
    String kind =
        rule.registry()
            ? "a Windows registry rule"
            : isWindows(rule) ? "a Windows file rule" : "a Linux file rule";
    return kind + " (" + rule.path() + ")";
  }

  private static String ruleProblem(AgentRule rule) {
    if (rule == null) {
      return "rule: null";
    }
    String pathProblem = pathProblem(rule);
    if (pathProblem != null) {
      return "path: " + pathProblem;
    }
    if (rule.maxFileSize() < 0) {
      return "maxFileSize: negative";
    }
    if (rule.scanIntervalSeconds() < 0 || rule.scanIntervalSeconds() > MAX_SCAN_INTERVAL_SECONDS) {
      return "scanIntervalSeconds: out of range: " + rule.scanIntervalSeconds();
    }
    if (rule.debounceMillis() < 0 || rule.debounceMillis() > MAX_DEBOUNCE_MILLIS) {
      return "debounceMillis: out of range: " + rule.debounceMillis();
    }
    for (Map.Entry<String, String> tag : rule.tags().entrySet()) {
      if (tag.getValue() == null) {
        return "tags." + tag.getKey() + ": null";
      }
    }
    if (rule.registry()) {
      return null; // value-name filters are the registry monitor's; no file glob to compile
    }
    try {
      new CompiledRule(rule); // the very compile the engine runs
    } catch (RuntimeException e) {
      return "path, include or exclude: a glob does not compile: " + firstLine(e.getMessage());
    }
    return null;
  }

  /** Why the path of {@code rule} is not one the agent can run, or null. */
  private static String pathProblem(AgentRule rule) {
    String path = rule.path();
    if (path == null) {
      return "missing";
    }
    if (rule.registry()) {
      return RegistryPaths.problem(path).map(p -> "not a registry key: " + p).orElse(null);
    }
    if (path.startsWith("/")) {
      return null;
    }
    if (WindowsPaths.looksWindows(path)) {
      return WindowsPaths.problem(path, true).map(p -> "not a Windows path: " + p).orElse(null);
    }
    return "not an absolute path: " + path;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
