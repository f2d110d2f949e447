package io.kubefim.agent.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
  @TempDir Path state;

  private static byte[] bundled() throws IOException {
    String resource =
        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void keepsAByteForByteCopyInTheStateDirectory() throws IOException {
    Path lib = SqliteNativeLibrary.extract(state);

    assertThat(lib).isNotNull();
    assertThat(lib.getParent()).isEqualTo(state.resolve("native"));
    assertThat(lib.getFileName().toString()).startsWith("sqlite-jdbc-");
    assertThat(Files.readAllBytes(lib)).isEqualTo(bundled());
    try (var left = Files.list(lib.getParent())) {
      assertThat(left).containsExactly(lib); // no temporary file left behind
    }
  }

  @Test
  void replacesATruncatedCopy() throws IOException {
    Path lib = SqliteNativeLibrary.extract(state);
    Files.write(lib, new byte[] {1, 2, 3});

    assertThat(SqliteNativeLibrary.extract(state)).isEqualTo(lib);
    assertThat(Files.readAllBytes(lib)).isEqualTo(bundled());
  }

  @Test
  void givesUpQuietlyWhenTheDirectoryCannotBeMade() throws IOException {
    Files.writeString(state.resolve("native"), "a file where the directory should be");

    assertThat(SqliteNativeLibrary.extract(state)).isNull();
  }
}
