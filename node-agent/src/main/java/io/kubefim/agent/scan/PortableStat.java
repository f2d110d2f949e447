package io.kubefim.agent.scan;

import io.kubefim.api.event.FileType;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One entry's metadata where the {@code unix} attribute view does not exist (Windows nodes, issue
 * 15), never following a final link:
 *
 * <ul>
 *   <li>type, size and modification time from the {@code basic} view (a directory's size is 0);
 *       {@code ctimeNanos} is the creation time (Windows has no status-change time in the JDK);
 *       {@code inode} is the hash of {@code fileKey()} where there is one, on Windows (none there)
 *       the NTFS file ID ({@link WindowsFileIds}), so a rename is told from a delete and a create
 *       as on Linux;
 *   <li>the DOS attributes (read-only, hidden, system, archive) from the {@code dos} view, read in
 *       the same call as the basic ones on Windows; where that view cannot be read (a Linux file
 *       system without user xattrs, a symlink on Linux) the mode says unknown ({@link DosMode}). On
 *       Linux (tests) only regular files and directories are asked: the JDK opens the entry to read
 *       the xattr there, which would block on a FIFO;
 *   <li>the owner ({@code Files.getOwner}: on Windows the account that owns the security
 *       descriptor, e.g. {@code BUILTIN\Administrators}) as a name and its {@link DosMode#ownerId};
 *       an owner that cannot be read is no owner (id 0), not a failed stat.
 * </ul>
 *
 * What it cannot see on Windows: ACL entries other than the owner, and a write that restores both
 * the size and the times ({@code SetFileTime}): the scan rehashes only when size or a time moved
 * (docs/agent.md, "Windows files"). Thread-safe.
 */
final class PortableStat {
  private static final Logger LOG = Logger.getLogger(PortableStat.class.getName());
  private static final int MAX_OWNERS = 1024;

  // account name -> id; few accounts own files, so this stays small (cleared when not)
  private final Map<String, Integer> ownerIds = new ConcurrentHashMap<>();
  private volatile boolean dosUnsupported;

  /** The metadata at {@code real} (no digests), or null when nothing is there. */
  FileState stat(Path real) throws IOException {
    BasicFileAttributes a;
    DosFileAttributes dos;
    try {
      if (RawPaths.UTF16_NAMES) {
        a = dos = dos(real); // one call on Windows, no FIFOs there
        if (a == null) {
          a = basic(real);
        }
      } else {
        // the JDK opens the entry to read its DOS xattr on Linux: a FIFO's open would block
        a = basic(real);
        dos = a.isRegularFile() || a.isDirectory() ? dos(real) : null;
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
    int mode = dos != null ? DosMode.of(dos) : DosMode.MARK | DosMode.UNKNOWN;
    FileType type =
        a.isRegularFile()
            ? FileType.File
            : a.isDirectory()
                ? FileType.Directory
                : a.isSymbolicLink() ? FileType.Symlink : FileType.Other;
    String target = type == FileType.Symlink ? FileObserver.linkTarget(real) : null;
    if (type == FileType.Symlink && target == null) {
      return null; // gone since its attributes were read
    }
    String owner = owner(real);
    Object key = a.fileKey();
    return FileState.metadata(
        type,
        type == FileType.Directory ? 0 : a.size(),
        mode,
        ownerId(owner),
        0,
        key != null ? key.hashCode() : RawPaths.UTF16_NAMES ? WindowsFileIds.of(real) : 0,
        nanos(a.lastModifiedTime()),
        nanos(a.creationTime()),
        target,
        owner);
  }

  private static BasicFileAttributes basic(Path real) throws IOException {
    return Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  /** The DOS attributes (with the basic ones), or null where the dos view cannot be read. */
  private DosFileAttributes dos(Path real) throws IOException {
    if (dosUnsupported) {
      return null;
    }
    try {
      return Files.readAttributes(real, DosFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException e) {
      dosUnsupported = true;
      LOG.log(Level.INFO, "no dos attribute view, FileMode not recorded error={0}", e.toString());
      return null;
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw e;
    } catch (FileSystemException e) {
      return null; // this entry has none readable (Linux: a symlink, no user xattrs): basic only
    }
  }

  private static String owner(Path real) {
    try {
      UserPrincipal p = Files.getOwner(real, LinkOption.NOFOLLOW_LINKS);
      return p == null ? null : p.getName();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  private int ownerId(String owner) {
    if (owner == null) {
      return 0;
    }
    Integer id = ownerIds.get(owner);
    if (id == null) {
      if (ownerIds.size() >= MAX_OWNERS) {
        ownerIds.clear();
      }
      id = DosMode.ownerId(owner);
      ownerIds.put(owner, id);
    }
    return id;
  }

  private static long nanos(FileTime t) {
    return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
  }
}
