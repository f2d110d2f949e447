package io.kubefim.agent.registry;

import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of every key one rule covers: key → its selected values. Keys and value names compare
 * without case (the registry's rule) and keep their spelling. Immutable once read.
 *
 * <p>Reading is one pass over the rule's keys ({@link #read}). A key that vanishes during the pass
 * is absent; a key that cannot be read (access denied) keeps its previous state, with everything
 * below it, and is named in {@link #errors}: an unreadable key is not a deleted one.
 */
public final class RegistrySnapshot {
  /**
   * One key and its selected values (by name, without case).
   *
   * @param key hive and path, as the registry spells them
   */
  public record KeyState(Key key, NavigableMap<String, ValueState> values) {}

  private final NavigableMap<String, KeyState> keys;
  private final List<String> errors;

  RegistrySnapshot(NavigableMap<String, KeyState> keys, List<String> errors) {
    this.keys = Collections.unmodifiableNavigableMap(keys);
    this.errors = List.copyOf(errors);
  }

  /** The empty snapshot (a rule whose keys do not exist). */
  public static RegistrySnapshot empty() {
    return new RegistrySnapshot(keyMap(), List.of());
  }

  /** Keys by full path ({@code HKEY_LOCAL_MACHINE\...}), in path order without case. */
  public NavigableMap<String, KeyState> keys() {
    return keys;
  }

  /** The keys that could not be read in this pass, with why. */
  public List<String> errors() {
    return errors;
  }

  /** Values of every key. */
  public int valueCount() {
    return keys.values().stream().mapToInt(k -> k.values().size()).sum();
  }

  static NavigableMap<String, KeyState> keyMap() {
    return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  }

  static NavigableMap<String, ValueState> valueMap() {
    return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  }

  /**
   * Reads what {@code rule} covers now.
   *
   * @param previous the last snapshot, for the keys that cannot be read now
   */
  static RegistrySnapshot read(Registry registry, RegistryRule rule, RegistrySnapshot previous) {
    Reader r = new Reader(registry, rule, previous);
    if (rule.lastName == null) {
      r.visit(rule.key);
    } else {
      List<String> children = r.subkeys(rule.base);
      for (String child : children == null ? List.<String>of() : children) {
        if (rule.coversChild(child)) {
          r.visit(child(rule.base, child));
        }
      }
    }
    return new RegistrySnapshot(r.keys, r.errors);
  }

  static Key child(Key parent, String name) {
    return new Key(parent.hive(), parent.path().isEmpty() ? name : parent.path() + "\\" + name);
  }

  /** One pass. */
  private static final class Reader {
    final Registry registry;
    final RegistryRule rule;
    final RegistrySnapshot previous;
    final NavigableMap<String, KeyState> keys = keyMap();
    final List<String> errors = new ArrayList<>();

    Reader(Registry registry, RegistryRule rule, RegistrySnapshot previous) {
      this.registry = registry;
      this.rule = rule;
      this.previous = previous;
    }

    void visit(Key k) {
      List<Registry.Value> values;
      try {
        values = registry.values(k);
      } catch (NoSuchFileException gone) {
        return;
      } catch (IOException e) {
        keepPrevious(k, e);
        return;
      }
      boolean secret = RegistryRule.secret(k);
      NavigableMap<String, ValueState> selected = valueMap();
      for (Registry.Value v : values) {
        if (rule.coversValue(v.name())) {
          selected.put(v.name(), ValueRendering.state(v, secret));
        }
      }
      keys.put(k.full(), new KeyState(k, Collections.unmodifiableNavigableMap(selected)));
      if (rule.rule.recursive()) {
        List<String> children = subkeys(k);
        for (String child : children == null ? List.<String>of() : children) {
          visit(child(k, child));
        }
      }
    }

    /** The subkeys of {@code k}, or null when it is gone or unreadable (then noted). */
    List<String> subkeys(Key k) {
      try {
        return registry.subkeys(k);
      } catch (NoSuchFileException gone) {
        return null;
      } catch (IOException e) {
        keepPrevious(k, e);
        return null;
      }
    }

    private void keepPrevious(Key k, IOException e) {
      errors.add(k.full() + ": " + e.getMessage());
      String full = k.full();
      for (Map.Entry<String, KeyState> p : previous.keys.tailMap(full, true).entrySet()) {
        String path = p.getKey();
        boolean below =
            path.equalsIgnoreCase(full)
                || (path.length() > full.length()
                    && path.regionMatches(true, 0, full, 0, full.length())
                    && path.charAt(full.length()) == '\\');
        if (!below && !path.regionMatches(true, 0, full, 0, full.length())) {
          break; // past every path that starts with full
        }
        if (below) {
          keys.putIfAbsent(path, p.getValue());
        }
      }
    }
  }
}
