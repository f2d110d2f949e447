package io.kubefim.api.windows;

import io.kubefim.api.event.RegistryChange;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry key paths as policies write them ({@code HKLM\SOFTWARE\Microsoft\Cryptography\OID*}) and
 * events carry them (hive and key apart, as MDC's {@code RegistryHive} and {@code RegistryKey}).
 * Hives by their full names or the usual abbreviations; names compare without case (the registry
 * does). {@code *} and {@code ?} in the last segment are the seed's wildcards.
 */
public final class RegistryPaths {
  private RegistryPaths() {}

  /** A key split into its hive (full name) and the path below it (may be empty). */
  public record Key(String hive, String path) {
    /** {@code HKEY_LOCAL_MACHINE\SOFTWARE\...}. */
    public String full() {
      return path.isEmpty() ? hive : hive + "\\" + path;
    }
  }

  private static final Map<String, String> ABBREVIATIONS =
      Map.of(
          "HKLM", "HKEY_LOCAL_MACHINE",
          "HKU", "HKEY_USERS",
          "HKCC", "HKEY_CURRENT_CONFIG",
          "HKCR", "HKEY_CLASSES_ROOT",
          "HKCU", "HKEY_CURRENT_USER");

  /** Longest key path the registry allows (255 characters a name, 512 levels; keys: 32767). */
  public static final int MAX_KEY_CHARS = 32_767;

  /** The key, or why it is not one: a hive the registry has, then names without empty parts. */
  public static Key parse(String text) {
    Optional<String> p = problem(text);
    if (p.isPresent()) {
      throw new IllegalArgumentException(p.get());
    }
    String t = text.replace('/', '\\');
    int i = t.indexOf('\\');
    String hive = hive(i < 0 ? t : t.substring(0, i)).orElseThrow();
    String rest = i < 0 ? "" : t.substring(i + 1);
    while (rest.endsWith("\\")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    return new Key(hive, rest);
  }

  /** Why {@code text} is not a registry key of a known hive, or empty when it is one. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isBlank()) {
      return Optional.of("empty");
    }
    if (text.length() > MAX_KEY_CHARS) {
      return Optional.of("longer than " + MAX_KEY_CHARS + " characters");
    }
    String t = text.replace('/', '\\');
    int i = t.indexOf('\\');
    String first = i < 0 ? t : t.substring(0, i);
    if (hive(first).isEmpty()) {
      return Optional.of(
          "\""
              + first
              + "\" is not a registry hive (HKLM, HKU, HKCC, HKCR, HKCU or their HKEY_ names)");
    }
    String rest = i < 0 ? "" : t.substring(i + 1);
    if (rest.endsWith("\\")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (!rest.isEmpty()) {
      for (String name : rest.split("\\\\", -1)) {
        if (name.isEmpty()) {
          return Optional.of("an empty key name (two backslashes) in \"" + text + "\"");
        }
        if (name.length() > 255) {
          return Optional.of("a key name longer than 255 characters in \"" + text + "\"");
        }
        if (name.chars().anyMatch(c -> c < 0x20)) {
          return Optional.of("a control character in \"" + text + "\"");
        }
      }
    }
    return Optional.empty();
  }

  /** The full hive name of {@code name} (an abbreviation or a full name, any case). */
  public static Optional<String> hive(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (ABBREVIATIONS.containsKey(n)) {
      return Optional.of(ABBREVIATIONS.get(n));
    }
    return RegistryChange.HIVES.contains(n) ? Optional.of(n) : Optional.empty();
  }
}
