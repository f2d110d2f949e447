package io.kubefim.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test files whose names are arbitrary bytes, made through the JDK's own URI form ({@code %FF} is
 * byte 0xff), not through the agent's codec, so tests of the codec do not check it against itself.
 */
public final class RawNames {
  private RawNames() {}

  /**
   * The path of {@code dir} joined with {@code pctName}, a name in URI form ({@code bad%FF}, {@code
   * caf%C3%A9}, {@code back%5Cxff}).
   */
  public static Path at(Path dir, String pctName) {
    String base = dir.toAbsolutePath().toUri().getRawPath();
    return Path.of(URI.create("file://" + (base.endsWith("/") ? base : base + "/") + pctName));
  }

  /** Writes {@code content} to {@code dir/pctName}, creating {@code dir}. */
  public static Path write(Path dir, String pctName, String content) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(at(dir, pctName), content);
  }
}
