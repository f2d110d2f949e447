package io.kubefim.agent.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A regular file open for reading through the JDK alone, where {@link RegularFile}'s libc calls do
 * not exist (Windows nodes, issue 15). The entry is checked to be a regular file ({@code basic}
 * attributes, not following a link), then opened with {@code FileChannel.open(path, READ,
 * NOFOLLOW_LINKS)}: a symlink put there in between is refused (Linux: {@code O_NOFOLLOW}; Windows:
 * the JDK opens the reparse point itself and refuses a symbolic link), never followed; a junction
 * or other reparse point is not a regular file, so it is never opened. Checked again after the
 * open.
 *
 * <p>Not as tight as {@link RegularFile}, which decides on the opened descriptor: on Linux a FIFO
 * swapped in between the check and the open would block the open, which is why Linux keeps {@link
 * RegularFile}; an NTFS volume has no FIFOs or devices in its namespace (named pipes live in {@code
 * \\.\pipe\}). One instance is used by one thread; the caller closes it.
 */
final class PortableFile implements ContentReader {
  private final FileChannel ch;
  private final long size;

  private PortableFile(FileChannel ch, long size) {
    this.ch = ch;
    this.size = size;
  }

  /**
   * Opens the regular file at {@code real}; the caller closes it.
   *
   * @throws NotRegularFileException when something else is there (nothing was read from it)
   * @throws NoSuchFileException when nothing is there
   * @throws IOException when it cannot be opened
   */
  static PortableFile open(Path real) throws IOException {
    refuseIfNotRegular(real);
    FileChannel ch;
    try {
      ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw e;
    } catch (IOException e) {
      if (Files.isSymbolicLink(real)) {
        throw new NotRegularFileException(real.toString(), "a symlink now");
      }
      throw e;
    }
    try {
      refuseIfNotRegular(real);
      return new PortableFile(ch, ch.size());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void refuseIfNotRegular(Path real) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      String kind =
          a.isSymbolicLink() ? "a symlink" : a.isDirectory() ? "a directory" : "not a regular file";
      throw new NotRegularFileException(real.toString(), kind + " now");
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return ch.read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public int read(byte[] b, int off, int len, long position) throws IOException {
    return ch.read(ByteBuffer.wrap(b, off, len), position);
  }

  @Override
  public void close() {
    try {
      ch.close();
    } catch (IOException ignored) {
      // a failed close of a channel only read from loses nothing
    }
  }
}
