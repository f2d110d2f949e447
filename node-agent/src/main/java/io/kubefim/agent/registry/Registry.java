package io.kubefim.agent.registry;

import io.kubefim.api.windows.RegistryPaths.Key;
import java.io.IOException;
import java.util.List;

/**
 * The Windows registry as {@link RegistryMonitor} needs it: read a key, and be told that something
 * under a key changed. Keys are a hive (its full name) and a path below it; names compare without
 * case. {@code WOW6432Node} is an ordinary key: implementations read the 64-bit view and do not
 * redirect. Implementations: {@link Advapi32Registry} (Windows), an in-memory fake in the tests.
 *
 * <p>Thread-safe: the monitor reads on its own thread while watches call back on theirs.
 */
public interface Registry {
  /** Numeric value types, as {@code winnt.h} numbers them (index into VALUE_TYPES). */
  int REG_NONE = 0;

  int REG_SZ = 1;
  int REG_EXPAND_SZ = 2;
  int REG_BINARY = 3;
  int REG_DWORD = 4;
  int REG_DWORD_BIG_ENDIAN = 5;
  int REG_LINK = 6;
  int REG_MULTI_SZ = 7;
  int REG_QWORD = 11;

  /**
   * One value of a key, its data as the registry stores it (strings UTF-16LE with their NUL).
   *
   * @param name value name; empty for the key's default value
   * @param type numeric type ({@link #REG_SZ}, ...)
   */
  record Value(String name, int type, byte[] data) {}

  /** Whether {@code key} exists (and can be opened for reading). */
  boolean exists(Key key);

  /**
   * The names of the direct subkeys of {@code key}.
   *
   * @throws java.nio.file.NoSuchFileException when the key does not exist (any more)
   * @throws IOException when it cannot be read (access denied, ...)
   */
  List<String> subkeys(Key key) throws IOException;

  /**
   * The values of {@code key}.
   *
   * @throws java.nio.file.NoSuchFileException when the key does not exist (any more)
   * @throws IOException when it cannot be read
   */
  List<Value> values(Key key) throws IOException;

  /**
   * Watches {@code key} ({@code RegNotifyChangeKeyValue} semantics): calls {@code changed}, on a
   * thread of the implementation, after a value of the key was set or deleted or a subkey created
   * or deleted, and with {@code subtree} after the same anywhere below the key. No detail: the
   * caller reads again and compares. Calls may be coalesced. When the key itself is deleted the
   * watch calls {@code changed} once more and is then dead ({@link Watch#alive()} false): the
   * caller watches again.
   *
   * @throws java.nio.file.NoSuchFileException when the key does not exist
   * @throws IOException when the watch cannot be placed
   */
  Watch watch(Key key, boolean subtree, Runnable changed) throws IOException;

  /** A placed watch; close it to stop (idempotent, joins the watch's thread). */
  interface Watch extends AutoCloseable {
    /** False once the watched key is gone or the watch failed. */
    boolean alive();

    @Override
    void close();
  }
}
