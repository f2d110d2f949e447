package io.kubefim.agent.scan;

import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads one entry's metadata ({@code lstat}) and digests. Thread-safe: digests and buffers are per
 * thread, so hashing runs on every core at once.
 *
 * <p>Two ways to read, chosen by capability when constructed: where the default file system has the
 * {@code unix} attribute view (Linux), {@code unix:*} attributes and {@link RegularFile} (libc);
 * elsewhere (Windows nodes, issue 15) the portable way, {@link PortableStat} ({@code basic} and
 * {@code dos} attributes, the owner's name; see {@link DosMode} for how they fill {@link
 * FileState}) and {@link PortableFile} (a JDK channel). Neither follows a final link. {@link
 * #portable()} forces the portable way, so that it runs on Linux in tests.
 */
public class FileObserver {
  private static final String ATTRS = "unix:mode,ino,uid,gid,size,lastModifiedTime,ctime";
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final HexFormat HEX = HexFormat.of();

  /** Blocks read from a file over maxFileSize, and their size. */
  public static final int SAMPLES = 18;

  public static final int SAMPLE_BLOCK = 64 * 1024;

  // A heap array: the digest reads it directly (one call a read), where a direct buffer was copied
  // into the digest 4 KiB at a time
  private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[128 * 1024]);
  private final ThreadLocal<Map<HashAlgorithm, MessageDigest>> digests =
      ThreadLocal.withInitial(() -> new EnumMap<>(HashAlgorithm.class));
  private final PortableStat portable; // null: the unix way

  /** The observer for this platform: the unix way where the {@code unix} view exists. */
  public FileObserver() {
    this(!FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
  }

  FileObserver(boolean portable) {
    this.portable = portable ? new PortableStat() : null;
  }

  /** The portable observer, whatever the platform (tests on Linux). */
  static FileObserver portable() {
    return new FileObserver(true);
  }

  /** True when this observer reads the portable way. */
  public boolean isPortable() {
    return portable != null;
  }

  /**
   * The metadata of the entry at {@code real} (no digests), or null when it does not exist.
   *
   * @throws IOException when it exists but cannot be examined
   */
  public FileState stat(Path real) throws IOException {
    if (portable != null) {
      return portable.stat(real);
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(real, ATTRS, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
    int mode = (Integer) a.get("mode");
    FileType type =
        switch (mode & S_IFMT) {
          case S_IFREG -> FileType.File;
          case S_IFDIR -> FileType.Directory;
          case S_IFLNK -> FileType.Symlink;
          default -> FileType.Other;
        };
    String target = type == FileType.Symlink ? linkTarget(real) : null;
    if (type == FileType.Symlink && target == null) {
      return null; // gone since its attributes were read
    }
    return FileState.metadata(
        type,
        type == FileType.Directory ? 0 : (Long) a.get("size"),
        mode & 07777,
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("ino"),
        nanos((FileTime) a.get("lastModifiedTime")),
        nanos((FileTime) a.get("ctime")),
        target);
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /** The rendered target of the symlink at {@code real}, or null when it is gone. */
  static String linkTarget(Path real) throws IOException {
    try {
      return RawPaths.render(Files.readSymbolicLink(real));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Opens the regular file at {@code real} the way of this observer. */
  private ContentReader open(Path real) throws IOException {
    return portable != null ? PortableFile.open(real) : RegularFile.open(real);
  }

  /**
   * {@code st} with the digests in {@code algos} of the file at {@code real}. Only a regular file
   * is read ({@link RegularFile}, {@link PortableFile}): a FIFO or device put there since {@code
   * st} was taken is refused at once, never waited on.
   *
   * @throws NoSuchFileException when the file vanished since {@code st} was taken
   * @throws NotRegularFileException when something other than a regular file is there now
   * @throws IOException when it cannot be read
   */
  public FileState hash(Path real, FileState st, Set<HashAlgorithm> algos) throws IOException {
    return hash(real, st, algos, ReadBudget.NONE);
  }

  /**
   * {@link #hash(Path, FileState, Set)}, spending every read's bytes from {@code budget} (a scan's
   * scanRate; realtime reads spend none).
   */
  public FileState hash(Path real, FileState st, Set<HashAlgorithm> algos, ReadBudget budget)
      throws IOException {
    Map<HashAlgorithm, MessageDigest> ds = digests.get();
    MessageDigest[] active = new MessageDigest[algos.size()];
    int n = 0;
    for (HashAlgorithm a : algos) {
      MessageDigest d = ds.computeIfAbsent(a, FileObserver::newDigest);
      d.reset();
      active[n++] = d;
    }
    byte[] buf = buffers.get();
    try (ContentReader f = open(real)) {
      while (true) {
        int r = f.read(buf, 0, buf.length);
        if (r < 0) {
          break;
        }
        for (MessageDigest d : active) {
          d.update(buf, 0, r);
        }
        budget.spend(r);
      }
    }
    String sha256 = null;
    String sha1 = null;
    String md5 = null;
    for (HashAlgorithm a : algos) {
      String hex = HEX.formatHex(ds.get(a).digest());
      switch (a) {
        case SHA256 -> sha256 = hex;
        case SHA1 -> sha1 = hex;
        case MD5 -> md5 = hex;
      }
    }
    return st.withHashes(sha256, sha1, md5);
  }

  /**
   * {@code st} (a file over maxFileSize) with the SHA-256 of its size and {@value #SAMPLES} blocks
   * of {@value #SAMPLE_BLOCK} bytes: the first, the last and the rest evenly spaced between. A
   * change of content within a sampled block is found at the cost of reading about 1 MiB; a
   * same-size change elsewhere is not (docs/agent.md says so).
   *
   * @throws NoSuchFileException when the file vanished since {@code st} was taken
   * @throws NotRegularFileException when something other than a regular file is there now
   * @throws IOException when it cannot be read
   */
  public FileState sample(Path real, FileState st) throws IOException {
    return sample(real, st, ReadBudget.NONE);
  }

  /** {@link #sample(Path, FileState)}, spending the bytes read from {@code budget}. */
  public FileState sample(Path real, FileState st, ReadBudget budget) throws IOException {
    MessageDigest d = digests.get().computeIfAbsent(HashAlgorithm.SHA256, FileObserver::newDigest);
    d.reset();
    byte[] buf = buffers.get();
    try (ContentReader f = open(real)) {
      long size = f.size();
      d.update(ByteBuffer.allocate(Long.BYTES).putLong(0, size).array());
      long span = Math.max(0, size - SAMPLE_BLOCK);
      for (int i = 0; i < SAMPLES; i++) {
        long pos = span * i / (SAMPLES - 1);
        int got = 0;
        while (got < SAMPLE_BLOCK) {
          int r = f.read(buf, got, SAMPLE_BLOCK - got, pos + got);
          if (r < 0) {
            break;
          }
          got += r;
        }
        d.update(buf, 0, got);
        budget.spend(got);
      }
    }
    return st.withSample(HEX.formatHex(d.digest()));
  }

  private static MessageDigest newDigest(HashAlgorithm a) {
    try {
      return MessageDigest.getInstance(a.jdkName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(a.jdkName(), e);
    }
  }
}
