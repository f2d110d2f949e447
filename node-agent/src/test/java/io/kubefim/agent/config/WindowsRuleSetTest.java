package io.kubefim.agent.config;

import static io.kubefim.agent.Fixture.config;
import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubefim.agent.WindowsConfigs;
import io.kubefim.agent.config.ConfigSource.InvalidConfigException;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Windows rules in the agent's config (issue 15): accepted beside nothing but Windows rules, kept
 * in slash form, matched without case; registry rules kept apart from the file side.
 */
class WindowsRuleSetTest {
  static AgentRule registry(String key) {
    AgentRule r = rule(key);
    return new AgentRule(
        r.path(),
        true,
        List.of(),
        List.of(),
        null,
        null,
        0,
        true,
        r.scanIntervalSeconds(),
        r.debounceMillis(),
        r.policyNames(),
        r.tags(),
        false,
        true);
  }

  static AgentRule ruleWith(String path, List<String> include, List<String> exclude) {
    return rule(path, true, include, exclude, 1 << 20);
  }

  @Test
  void aWindowsNodesCompiledConfigIsAcceptedAndItsRegistryRulesKeptApart() throws Exception {
    AgentConfig compiled = WindowsConfigs.recommended("win-1");
    AgentConfig parsed = AgentConfigParser.parse(Json.mapper().writeValueAsBytes(compiled));
    RuleSet rules = new RuleSet(parsed);

    assertThat(rules.windows()).isTrue();
    assertThat(rules.registryRules())
        .hasSize(15)
        .allSatisfy(r -> assertThat(r.path()).startsWith("HKEY_LOCAL_MACHINE\\"));
    assertThat(rules.roots())
        .containsExactly(
            "/C:/Windows/System32/userinit.exe",
            "/C:/Windows/explorer.exe",
            "/C:/Windows/regedit.exe",
            "/C:/Windows/system.ini",
            "/C:/Windows/win.ini",
            "/C:/autoexec.bat",
            "/C:/boot.ini",
            "/C:/config.sys");
    assertThat(RuleSet.rootsOf(parsed.rules())).isEqualTo(rules.roots());
    Selection win = rules.select("/C:/Windows/win.ini");
    assertThat(win).isNotNull();
    assertThat(win.windows()).isTrue();
    assertThat(win.policyNames()).containsExactly("windows-recommended");
    assertThat(rules.select("/C:/Windows/notepad.exe")).isNull();
    // nothing on the file side answers for a registry key
    assertThat(rules.select("/HKEY_LOCAL_MACHINE/SOFTWARE/Microsoft/Windows/CurrentVersion/Run"))
        .isNull();
    assertThat(rules.descends("/C:/Windows")).isFalse();
  }

  @ParameterizedTest(name = "{0} selects {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "C:\\windows\\*.INI|/C:/Windows/win.ini|true",
        "C:\\windows\\*.INI|/C:/Windows/System32/x.ini|false",
        "C:\\Windows\\WIN.INI|/C:/windows/win.ini|true",
        "C:\\Windows|/C:/WINDOWS/System32/drivers/etc/hosts|true",
        "C:\\Windows|/C:/WindowsApps/x|false",
        "C:\\Program Files\\*\\bin|/C:/program files/App/BIN/a.exe|true",
      })
  void windowsRulesMatchWithoutCase(String rulePath, String path, boolean selected) {
    RuleSet rules = new RuleSet(config(rule(rulePath)));
    assertThat(rules.select(path) != null).as(rulePath + " selects " + path).isEqualTo(selected);
  }

  @Test
  void windowsFiltersAreReadInSlashFormWithoutCase() {
    RuleSet rules =
        new RuleSet(
            config(
                ruleWith(
                    "C:\\app", List.of("*.config", "bin\\**"), List.of("*.LOG", "Cache\\**"))));
    assertThat(rules.select("/C:/app/web.CONFIG")).isNotNull();
    assertThat(rules.select("/C:/app/BIN/x/app.dll")).isNotNull();
    assertThat(rules.select("/C:/app/readme.txt")).isNull();
    assertThat(rules.select("/C:/app/bin/trace.log")).isNull();
    assertThat(rules.descends("/C:/app/cache")).isFalse();
    assertThat(rules.descends("/C:/APP/bin")).isTrue();
    assertThat(rules.realtimeAt("/C:/App/bin/x")).isTrue();
    assertThat(rules.realtimeAt("/C:/Apps")).isFalse();
  }

  @Test
  void linuxRulesStayCaseSensitiveAndLinux() {
    RuleSet rules = new RuleSet(config(rule("/etc/App")));
    assertThat(rules.windows()).isFalse();
    assertThat(rules.select("/etc/app/x")).isNull();
    Selection s = rules.select("/etc/App/x");
    assertThat(s).isNotNull();
    assertThat(s.windows()).isFalse();
  }

  @Test
  void aConfigWithLinuxAndWindowsRulesIsRefusedNamingTheRule() {
    assertThatThrownBy(
            () ->
                AgentConfigParser.check(
                    config(rule("/etc/ssh"), rule("/var/lib/x"), rule("C:\\Windows\\win.ini"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("rules[2].path")
        .hasMessageContaining("a Windows file rule (C:\\Windows\\win.ini)")
        .hasMessageContaining("rules[0] is a Linux file rule (/etc/ssh)")
        .hasMessageContaining("one OS");
    assertThatThrownBy(
            () ->
                AgentConfigParser.check(
                    config(rule("/etc/ssh"), registry("HKEY_LOCAL_MACHINE\\SOFTWARE\\x"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("rules[1].path: a Windows registry rule");
    assertThatThrownBy(
            () -> AgentConfigParser.check(config(rule("C:\\Windows\\win.ini"), rule("/etc/ssh"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("rules[1].path: a Linux file rule (/etc/ssh)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "file;Windows\\win.ini;rules[0].path: not an absolute path",
        "file;C:Windows;rules[0].path: not a Windows path",
        "file;C:\\a|b;rules[0].path: not a Windows path",
        "file;\\\\server\\share;rules[0].path: not an absolute path",
        "registry;HKEY_NOWHERE\\x;rules[0].path: not a registry key",
        "registry;/etc/ssh;rules[0].path: not a registry key",
      })
  void badWindowsPathsAreRefused(String kind, String path, String message) {
    AgentRule r = kind.equals("registry") ? registry(path) : rule(path);
    assertThatThrownBy(() -> AgentConfigParser.check(config(r)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aConfigOfRegistryRulesOnlyHasNoFileRoots() throws Exception {
    AgentConfig c = config(registry("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"));
    AgentConfigParser.check(c);
    RuleSet rules = new RuleSet(c);
    assertThat(rules.roots()).isEmpty();
    assertThat(rules.isEmpty()).isTrue();
    assertThat(rules.registryRules()).hasSize(1);
    assertThat(rules.anyRealtime()).isFalse();
  }
}
