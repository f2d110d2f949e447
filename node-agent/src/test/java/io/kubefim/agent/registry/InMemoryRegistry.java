package io.kubefim.agent.registry;

import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registry in memory, for tests: keys (names without case, spelling kept), values, subkeys, and
 * watches told synchronously, on the writing thread, as RegNotifyChangeKeyValue would: a watch on K
 * hears value writes of K and subkeys created or deleted directly under K, with {@code subtree} the
 * same anywhere below K; deleting K itself tells its watch once and kills it. WOW6432Node is an
 * ordinary key. Every hive root exists. Thread-safe (synchronized).
 */
final class InMemoryRegistry implements Registry {
  private final Map<String, Node> keys = new TreeMap<>(); // upper-cased full path → node
  private final List<FakeWatch> watches = new CopyOnWriteArrayList<>();
  private final Set<String> denied = new HashSet<>();
  int watchesPlaced;

  private static final class Node {
    final Key key;
    final Map<String, Value> values = new LinkedHashMap<>(); // upper-cased name → value

    Node(Key key) {
      this.key = key;
    }
  }

  private static String id(Key k) {
    return k.full().toUpperCase(Locale.ROOT);
  }

  static Key key(String full) {
    int i = full.indexOf('\\');
    return i < 0 ? new Key(full, "") : new Key(full.substring(0, i), full.substring(i + 1));
  }

  // ----- writes (tests) -----

  /** Creates {@code full} and its missing parents. */
  synchronized InMemoryRegistry create(String full) {
    Key k = key(full);
    List<Key> made = new ArrayList<>();
    for (Key p = k; !p.path().isEmpty() && !keys.containsKey(id(p)); p = parent(p)) {
      made.add(0, p);
    }
    for (Key m : made) {
      keys.put(id(m), new Node(m));
      fire(parent(m), false);
    }
    return this;
  }

  synchronized InMemoryRegistry set(String full, String name, int type, byte[] data) {
    create(full);
    keys.get(id(key(full))).values.put(name.toUpperCase(Locale.ROOT), new Value(name, type, data));
    fire(key(full), true);
    return this;
  }

  InMemoryRegistry sz(String full, String name, String text) {
    return set(full, name, REG_SZ, utf16(text + "\0"));
  }

  InMemoryRegistry dword(String full, String name, int v) {
    return set(
        full,
        name,
        REG_DWORD,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  synchronized InMemoryRegistry deleteValue(String full, String name) {
    keys.get(id(key(full))).values.remove(name.toUpperCase(Locale.ROOT));
    fire(key(full), true);
    return this;
  }

  /** Deletes {@code full} with everything below it (RegDeleteTree). */
  synchronized InMemoryRegistry deleteTree(String full) {
    String id = id(key(full));
    keys.keySet().removeIf(p -> p.equals(id) || p.startsWith(id + "\\"));
    for (FakeWatch w : watches) {
      String wid = id(w.key);
      if (wid.equals(id) || wid.startsWith(id + "\\")) {
        w.dead = true;
        w.changed.run();
      }
    }
    fire(parent(key(full)), false);
    return this;
  }

  synchronized void deny(String full) {
    denied.add(id(key(full)));
  }

  static byte[] utf16(String s) {
    return s.getBytes(StandardCharsets.UTF_16LE);
  }

  private static Key parent(Key k) {
    int i = k.path().lastIndexOf('\\');
    return new Key(k.hive(), i < 0 ? "" : k.path().substring(0, i));
  }

  /** Tells the watches that hear a change at {@code at} (its values, or its subkey list). */
  private void fire(Key at, boolean values) {
    String id = id(at);
    for (FakeWatch w : watches) {
      String wid = id(w.key);
      boolean here = wid.equals(id);
      boolean below = id.startsWith(wid + "\\");
      if (!w.dead && !w.closed && (here || (w.subtree && below))) {
        w.changed.run();
      }
    }
  }

  // ----- Registry -----

  @Override
  public synchronized boolean exists(Key key) {
    return key.path().isEmpty() || keys.containsKey(id(key));
  }

  @Override
  public synchronized List<String> subkeys(Key key) throws IOException {
    check(key);
    String prefix = key.path().isEmpty() ? id(key) + "\\" : id(key) + "\\";
    List<String> out = new ArrayList<>();
    for (Node n : keys.values()) {
      String nid = id(n.key);
      if (nid.startsWith(prefix) && nid.indexOf('\\', prefix.length()) < 0) {
        out.add(n.key.path().substring(n.key.path().lastIndexOf('\\') + 1));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Value> values(Key key) throws IOException {
    check(key);
    Node n = keys.get(id(key));
    return n == null ? List.of() : List.copyOf(n.values.values());
  }

  private void check(Key key) throws IOException {
    if (denied.contains(id(key))) {
      throw new AccessDeniedException(key.full());
    }
    if (!exists(key)) {
      throw new NoSuchFileException(key.full());
    }
  }

  @Override
  public synchronized Watch watch(Key key, boolean subtree, Runnable changed) throws IOException {
    check(key);
    FakeWatch w = new FakeWatch(key, subtree, changed);
    watches.add(w);
    watchesPlaced++;
    return w;
  }

  /** The live watches, as "full path (subtree)". */
  synchronized List<String> liveWatches() {
    List<String> out = new ArrayList<>();
    for (FakeWatch w : watches) {
      if (!w.dead && !w.closed) {
        out.add(w.key.full() + (w.subtree ? " (subtree)" : ""));
      }
    }
    return out;
  }

  private final class FakeWatch implements Watch {
    final Key key;
    final boolean subtree;
    final Runnable changed;
    volatile boolean dead;
    volatile boolean closed;

    FakeWatch(Key key, boolean subtree, Runnable changed) {
      this.key = key;
      this.subtree = subtree;
      this.changed = changed;
    }

    @Override
    public boolean alive() {
      return !dead && !closed;
    }

    @Override
    public void close() {
      closed = true;
      watches.remove(this);
    }
  }
}
