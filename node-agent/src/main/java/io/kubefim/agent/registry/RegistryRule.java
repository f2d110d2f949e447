package io.kubefim.agent.registry;

import io.kubefim.api.config.AgentRule;
import io.kubefim.api.windows.RegistryPaths;
import io.kubefim.api.windows.RegistryPaths.Key;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A compiled registry rule ({@link AgentRule#registry()}): which keys it covers and which of their
 * values. The rule's key may end in a name with {@code *} and {@code ?} ({@code OID*}): it then
 * covers the matching subkeys of its parent. {@code recursive} adds every key below those. Value
 * names are selected by the include globs (none: all) less the exclude globs. Every name compares
 * without case, as the registry does. Immutable.
 */
final class RegistryRule {
  /** LSA secrets: values at and below this key are carried as their SHA-256 only. */
  static final String SECRETS = "HKEY_LOCAL_MACHINE\\SECURITY\\POLICY\\SECRETS";

  final AgentRule rule;
  final String id;
  final Key key;

  /** The key that is read first: the rule's key, or its parent when the last name is a glob. */
  final Key base;

  /** The glob of the last name, or null when the rule names one key. */
  final Pattern lastName;

  private final List<Pattern> include;
  private final List<Pattern> exclude;

  RegistryRule(AgentRule rule) {
    this.rule = rule;
    this.key = RegistryPaths.parse(rule.path());
    // the store keys snapshots by this: a rule that selects differently is another rule
    this.id = key.full() + "|" + rule.recursive() + "|" + rule.include() + "|" + rule.exclude();
    int last = key.path().lastIndexOf('\\');
    String name = key.path().substring(last + 1);
    if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0) {
      this.lastName = glob(name);
      this.base = new Key(key.hive(), last < 0 ? "" : key.path().substring(0, last));
    } else {
      this.lastName = null;
      this.base = key;
    }
    this.include = rule.include().stream().map(RegistryRule::glob).toList();
    this.exclude = rule.exclude().stream().map(RegistryRule::glob).toList();
  }

  /** Whether the rule reports value {@code name} (of any key it covers). */
  boolean coversValue(String name) {
    return (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(name).matches()))
        && exclude.stream().noneMatch(p -> p.matcher(name).matches());
  }

  /** Whether {@code child}, a subkey name of {@link #base}, is one of the rule's keys. */
  boolean coversChild(String child) {
    return lastName != null && lastName.matcher(child).matches();
  }

  /** Whether the values of {@code k} are secrets (under {@link #SECRETS}). */
  static boolean secret(Key k) {
    String full = k.full().toUpperCase(Locale.ROOT);
    return full.equals(SECRETS) || full.startsWith(SECRETS + "\\");
  }

  /** A registry glob: {@code *} any run, {@code ?} one character, the rest literal, any case. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(
        re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }

  @Override
  public String toString() {
    return id;
  }
}
