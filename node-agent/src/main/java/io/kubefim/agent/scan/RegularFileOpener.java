package io.kubefim.agent.scan;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a file for reading only when it is a regular file, decided on the opened descriptor, so
 * that nothing swapped in after an {@code lstat} can stall or fool the reader. The open itself
 * cannot block or follow a link: {@code open(O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_NOCTTY|O_CLOEXEC)}
 * returns at once for a FIFO with no writer and fails for a symlink. The type is then read through
 * {@code /proc/self/fd/N} (a stat of the open file itself, wherever it is renamed meanwhile), and
 * only a regular file is reopened through that link as a {@link FileChannel} (the same inode, with
 * the JDK's own read path); the descriptor is closed before returning.
 *
 * <p>Linux only (x86-64 and arm64 flag values). Thread-safe.
 */
final class RegularFileOpener {
  private static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));
  private static final int O_NOCTTY = 0400;
  private static final int O_NONBLOCK = 04000;
  private static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int FLAGS = O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC; // O_RDONLY = 0
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int EPERM = 1;
  private static final int ENOTDIR = 20;
  private static final int ELOOP = 40;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;

  static {
    Native.register(RegularFileOpener.class, "c");
  }

  private static native int open(byte[] path, int flags) throws LastErrorException;

  private static native int close(int fd) throws LastErrorException;

  private RegularFileOpener() {}

  /**
   * A channel reading the regular file at {@code real}; the caller closes it.
   *
   * @throws NotRegularFileException when something else is there (nothing was read from it)
   * @throws NoSuchFileException when nothing is there
   * @throws IOException when it cannot be opened
   */
  static FileChannel open(Path real) throws IOException {
    String name = real.toString();
    byte[] path = RawPaths.cString(real); // the name's own bytes, whatever the locale
    int fd;
    try {
      fd = open(path, FLAGS);
    } catch (LastErrorException e) {
      throw switch (e.getErrorCode()) {
        case ENOENT, ENOTDIR -> new NoSuchFileException(name);
        case EACCES, EPERM -> new AccessDeniedException(name);
        case ELOOP -> new NotRegularFileException(name, "a symlink now");
        default -> new FileSystemException(name, null, e.getMessage());
      };
    }
    try {
      Path self = Path.of("/proc/self/fd/" + fd);
      int mode = (Integer) Files.getAttribute(self, "unix:mode");
      if ((mode & S_IFMT) != S_IFREG) {
        throw new NotRegularFileException(name, "not a regular file now (" + kind(mode) + ")");
      }
      return FileChannel.open(self, StandardOpenOption.READ);
    } finally {
      try {
        close(fd);
      } catch (LastErrorException ignored) {
        // a failed close of a descriptor only read from loses nothing
      }
    }
  }

  private static String kind(int mode) {
    return switch (mode & S_IFMT) {
      case 0010000 -> "a FIFO";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      case 0140000 -> "a socket";
      case 0040000 -> "a directory";
      default -> String.format("type %06o", mode & S_IFMT);
    };
  }
}
