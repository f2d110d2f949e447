package io.kubefim.agent.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library in the state directory ({@code <state>/native/}) so that a
 * start maps it directly. Without this, sqlite-jdbc writes the 1 MB library to {@code
 * java.io.tmpdir} at every start and compares it byte by byte with the jar's copy, interpreted:
 * about 0.1 s of every {@code check} (measured, docs/benchmarks.md). The file is named by the
 * driver version and replaced when its size differs from the jar's; it is written under a temporary
 * name and moved, so a concurrent start never maps half a file. Where the directory cannot hold it
 * or it cannot be mapped (a {@code noexec} mount), sqlite-jdbc falls back to its own extraction.
 * {@code -Dorg.sqlite.lib.path} set by the operator wins.
 */
final class SqliteNativeLibrary {
  private static final Logger LOG = Logger.getLogger(SqliteNativeLibrary.class.getName());

  private SqliteNativeLibrary() {}

  /** Points sqlite-jdbc at the copy in {@code stateDir}, unless a library path is already set. */
  static void prepare(Path stateDir) {
    if (System.getProperty("org.sqlite.lib.path") != null) {
      return;
    }
    Path lib = extract(stateDir);
    if (lib != null) {
      System.setProperty("org.sqlite.lib.path", lib.getParent().toAbsolutePath().toString());
      System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
    }
  }

  /**
   * The library for this OS and architecture in {@code <stateDir>/native/}, written when missing or
   * of the wrong size; null when the jar has none for this platform or it cannot be written.
   */
  static Path extract(Path stateDir) {
    String name = LibraryLoaderUtil.getNativeLibName();
    URL resource =
        SqliteNativeLibrary.class.getResource(
            LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
    if (resource == null) {
      return null; // no bundled library for this OS/arch: sqlite-jdbc reports it
    }
    try {
      URLConnection conn = resource.openConnection();
      long size = conn.getContentLengthLong();
      Path dir = stateDir.resolve("native");
      String local = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + name;
      Path lib = dir.resolve(local);
      if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, local, ".tmp");
        try (InputStream in = conn.getInputStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return lib;
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.FINE, "native library not kept in the state directory; sqlite-jdbc extracts it", e);
      return null;
    }
  }
}
