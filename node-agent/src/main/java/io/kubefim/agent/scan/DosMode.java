package io.kubefim.agent.scan;

import io.kubefim.api.event.FileType;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.DosFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How the portable observer ({@link PortableStat}, Windows nodes, issue 15) keeps what Windows has
 * in place of a POSIX mode, owner and group in the fields of {@link FileState}, so that the
 * baseline's columns and codec stay as they are (no new column, no schema change):
 *
 * <ul>
 *   <li>{@link FileState#mode}: {@link #MARK} plus the DOS attributes as Windows numbers them
 *       ({@code FILE_ATTRIBUTE_READONLY} 0x1, {@code HIDDEN} 0x2, {@code SYSTEM} 0x4, {@code
 *       ARCHIVE} 0x20), or {@link #MARK} plus {@link #UNKNOWN} where the {@code dos} view cannot be
 *       read. POSIX permission bits never reach bit 29, so the two kinds never compare equal, and a
 *       change of attributes ({@code attrib +h}) is {@code Permissions} in FieldsChanged.
 *   <li>Events show the mode as Windows PowerShell's {@code Mode} column ({@code Get-ChildItem},
 *       {@code dir}), six letters {@code darhsl}: directory, archive, read-only, hidden, system,
 *       reparse point (a symlink here), {@code -} where not set: {@code -a----} is a plain file,
 *       {@code -ar-s-} a read-only system file, {@code d-----} a folder. Unknown: no FileMode.
 *   <li>{@link FileState#uid}: {@link #ownerId} of the owner's account name ({@code
 *       Files.getOwner}, on Windows the owner of the security descriptor, e.g. {@code
 *       BUILTIN\Administrators}), so that an owner change is found against the baseline; the name
 *       itself is {@link FileState#owner}, in memory only, and is what FileOwner shows. {@link
 *       FileState#gid} is 0: Windows files have no POSIX group, FileGroup stays empty.
 * </ul>
 *
 * Pure and thread-safe.
 */
public final class DosMode {
  /** Set in every mode the portable observer records: the rest is DOS attributes. */
  public static final int MARK = 1 << 30;

  /** With {@link #MARK}: the DOS attributes could not be read (no {@code dos} view there). */
  public static final int UNKNOWN = 1 << 29;

  static final int READ_ONLY = 0x1;
  static final int HIDDEN = 0x2;
  static final int SYSTEM = 0x4;
  static final int ARCHIVE = 0x20;

  private DosMode() {}

  /** The mode of an entry with these DOS attributes. */
  static int of(DosFileAttributes a) {
    return MARK
        | (a.isReadOnly() ? READ_ONLY : 0)
        | (a.isHidden() ? HIDDEN : 0)
        | (a.isSystem() ? SYSTEM : 0)
        | (a.isArchive() ? ARCHIVE : 0);
  }

  /** True when {@code mode} was recorded by the portable observer. */
  public static boolean isDos(int mode) {
    return (mode & MARK) != 0;
  }

  /** PowerShell's Mode letters of a DOS-marked {@code mode}, or null when they were unknown. */
  public static String render(FileType type, int mode) {
    if ((mode & UNKNOWN) != 0) {
      return null;
    }
    return new StringBuilder(6)
        .append(type == FileType.Directory ? 'd' : '-')
        .append((mode & ARCHIVE) != 0 ? 'a' : '-')
        .append((mode & READ_ONLY) != 0 ? 'r' : '-')
        .append((mode & HIDDEN) != 0 ? 'h' : '-')
        .append((mode & SYSTEM) != 0 ? 's' : '-')
        .append(type == FileType.Symlink ? 'l' : '-')
        .toString();
  }

  /**
   * A stable 32-bit id of an account name: the first four bytes of the SHA-256 of its UTF-8 bytes
   * (0 for no name). The same on every start, so it can stand in the baseline's numeric owner.
   */
  static int ownerId(String name) {
    if (name == null) {
      return 0;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256", e);
    }
  }
}
