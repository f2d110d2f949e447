package io.kubefim.agent.scan;

import java.io.IOException;

/**
 * A regular file open for reading its content: {@link RegularFile} (Linux, libc) or {@link
 * PortableFile} (Windows, a JDK channel). One instance is used by one thread; the caller closes it.
 */
interface ContentReader extends AutoCloseable {
  /** The size of the file when it was opened. */
  long size() throws IOException;

  /** Reads up to {@code len} bytes at the file's offset; -1 at the end of the file. */
  int read(byte[] b, int off, int len) throws IOException;

  /** Reads up to {@code len} bytes at {@code position}; -1 at the end of the file. */
  int read(byte[] b, int off, int len, long position) throws IOException;

  @Override
  void close();
}
