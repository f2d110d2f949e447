package io.kubefim.agent.scan;

import java.nio.file.FileSystemException;

/**
 * The entry to be hashed is not a regular file any more (a FIFO, device, socket, directory or
 * symlink was put there after it was examined): it is not read. The caller examines it again.
 */
public final class NotRegularFileException extends FileSystemException {
  public NotRegularFileException(String path, String reason) {
    super(path, null, reason);
  }
}
