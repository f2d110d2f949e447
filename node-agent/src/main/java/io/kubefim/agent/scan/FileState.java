package io.kubefim.agent.scan;

import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.Objects;
import java.util.Set;

/**
 * What the agent knows about one file system entry: its metadata from {@code lstat} and, for
 * regular files, its digests. Used both for what a scan observes and for a baseline entry.
 *
 * <p>On Windows (the portable observer, issue 15) {@code mode}, {@code uid} and {@code gid} hold
 * what {@link DosMode} says: DOS attributes marked {@link DosMode#MARK}, an id of the owner's
 * account name, 0; {@code owner} is that account name. The baseline stores every component but
 * {@code owner} (its codec is unchanged), so a state read back from it has no owner name; equality
 * ignores {@code owner}, which {@code uid} stands for.
 *
 * @param type kind of entry
 * @param size bytes
 * @param mode permission bits (07777); on Windows DOS attributes ({@link DosMode})
 * @param uid numeric owner; on Windows {@link DosMode#ownerId} of the owner's name
 * @param gid numeric group; 0 on Windows
 * @param inode inode number
 * @param mtimeNanos modification time, ns since the epoch
 * @param ctimeNanos status change time, ns since the epoch
 * @param symlinkTarget for symlinks, the target as stored in the link
 * @param sha256 lowercase hex, null when not hashed
 * @param sha1 lowercase hex, null when not hashed
 * @param md5 lowercase hex, null when not hashed
 * @param oversized true when the file was over maxFileSize and so not hashed whole: {@code sampled}
 *     stands for its content
 * @param sampled for an oversized file, lowercase hex SHA-256 of its size and sampled blocks
 *     ({@link FileObserver#sample}); null otherwise
 * @param stale true when the digests are the last known ones, not of the content now (the file
 *     could not be read when last seen): the next scan reads it whatever its metadata says and
 *     compares with them, so a content swap made while it was unreadable is still reported
 * @param owner the owner's account name where the observer reads one (Windows: {@code
 *     BUILTIN\Administrators}); null on Linux and in a state read from the baseline
 */
public record FileState(
    FileType type,
    long size,
    int mode,
    int uid,
    int gid,
    long inode,
    long mtimeNanos,
    long ctimeNanos,
    String symlinkTarget,
    String sha256,
    String sha1,
    String md5,
    boolean oversized,
    String sampled,
    boolean stale,
    String owner) {

  /** A state without an owner name (Linux; a baseline entry). */
  public FileState(
      FileType type,
      long size,
      int mode,
      int uid,
      int gid,
      long inode,
      long mtimeNanos,
      long ctimeNanos,
      String symlinkTarget,
      String sha256,
      String sha1,
      String md5,
      boolean oversized,
      String sampled,
      boolean stale) {
    this(
        type,
        size,
        mode,
        uid,
        gid,
        inode,
        mtimeNanos,
        ctimeNanos,
        symlinkTarget,
        sha256,
        sha1,
        md5,
        oversized,
        sampled,
        stale,
        null);
  }

  /** A state from {@code lstat} alone: no digests. */
  public static FileState metadata(
      FileType type,
      long size,
      int mode,
      int uid,
      int gid,
      long inode,
      long mtimeNanos,
      long ctimeNanos,
      String symlinkTarget) {
    return metadata(type, size, mode, uid, gid, inode, mtimeNanos, ctimeNanos, symlinkTarget, null);
  }

  /** A state from metadata alone (no digests) with the owner's account name. */
  public static FileState metadata(
      FileType type,
      long size,
      int mode,
      int uid,
      int gid,
      long inode,
      long mtimeNanos,
      long ctimeNanos,
      String symlinkTarget,
      String owner) {
    return new FileState(
        type,
        size,
        mode,
        uid,
        gid,
        inode,
        mtimeNanos,
        ctimeNanos,
        symlinkTarget,
        null,
        null,
        null,
        false,
        null,
        false,
        owner);
  }

  /**
   * True when nothing that could change content differs: the stored digests of {@code this} still
   * describe {@code other}. ctime is part of it, so resetting mtime with {@code touch -d} cannot
   * hide a write.
   */
  public boolean sameContentMetadata(FileState other) {
    return other != null
        && type == other.type
        && size == other.size
        && inode == other.inode
        && mtimeNanos == other.mtimeNanos
        && ctimeNanos == other.ctimeNanos;
  }

  /**
   * True when the recorded digests in {@code algos} may stand for the content of {@code now}
   * without reading it: they are complete and current, and nothing that could change content
   * differs.
   */
  public boolean digestsStillHold(FileState now, Set<HashAlgorithm> algos) {
    return !stale && !oversized && sameContentMetadata(now) && hasHashes(algos);
  }

  /** Like {@link #digestsStillHold} for the sampled digest of an oversized file. */
  public boolean sampleStillHolds(FileState now) {
    return !stale && oversized && sampled != null && sameContentMetadata(now);
  }

  /** True when every digest in {@code algos} is recorded. */
  public boolean hasHashes(Set<HashAlgorithm> algos) {
    for (HashAlgorithm a : algos) {
      if (hash(a) == null) {
        return false;
      }
    }
    return true;
  }

  /** The digest for {@code a}, or null. */
  public String hash(HashAlgorithm a) {
    return switch (a) {
      case SHA256 -> sha256;
      case SHA1 -> sha1;
      case MD5 -> md5;
    };
  }

  /** This state with digests of the whole file (not oversized, not stale). */
  public FileState withHashes(String sha256, String sha1, String md5) {
    return with(sha256, sha1, md5, false, null, false);
  }

  /** This state as an oversized file whose sampled blocks hash to {@code sampled}. */
  public FileState withSample(String sampled) {
    return with(null, null, null, true, sampled, false);
  }

  /**
   * This state (just read, and found unreadable) carrying the digests of {@code last}, marked
   * stale; just the metadata when {@code last} has none.
   */
  public FileState withStaleDigestsOf(FileState last) {
    if (last == null
        || (last.sha256 == null && last.sampled == null && last.sha1 == null && last.md5 == null)) {
      return with(null, null, null, false, null, false);
    }
    return with(last.sha256, last.sha1, last.md5, last.oversized, last.sampled, true);
  }

  private FileState with(
      String sha256, String sha1, String md5, boolean oversized, String sampled, boolean stale) {
    return new FileState(
        type,
        size,
        mode,
        uid,
        gid,
        inode,
        mtimeNanos,
        ctimeNanos,
        symlinkTarget,
        sha256,
        sha1,
        md5,
        oversized,
        sampled,
        stale,
        owner);
  }

  /**
   * The FileMode column: permission bits as an octal string, e.g. {@code 0644}; on Windows the Mode
   * letters of {@link DosMode#render} ({@code -a----}), null when unknown.
   */
  public String modeString() {
    return DosMode.isDos(mode) ? DosMode.render(type, mode) : String.format("%04o", mode);
  }

  /** The FileOwner column: the numeric uid; on Windows the account name (null when not known). */
  public String ownerString() {
    return DosMode.isDos(mode) ? owner : Integer.toString(uid);
  }

  /** The FileGroup column: the numeric gid; none on Windows. */
  public String groupString() {
    return DosMode.isDos(mode) ? null : Integer.toString(gid);
  }

  /** True when the state needs to be rewritten to the baseline: anything at all differs. */
  public boolean differsFrom(FileState other) {
    return !equals(other);
  }

  // equals and hashCode written out: a record's generated ones are bootstrapped through method
  // handles at first use, which a one-shot check paid for at every start (about 25 ms here)
  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof FileState f
            && type == f.type
            && size == f.size
            && mode == f.mode
            && uid == f.uid
            && gid == f.gid
            && inode == f.inode
            && mtimeNanos == f.mtimeNanos
            && ctimeNanos == f.ctimeNanos
            && oversized == f.oversized
            && stale == f.stale
            && Objects.equals(sampled, f.sampled)
            && Objects.equals(symlinkTarget, f.symlinkTarget)
            && Objects.equals(sha256, f.sha256)
            && Objects.equals(sha1, f.sha1)
            && Objects.equals(md5, f.md5);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(type, symlinkTarget, sha256, sha1, md5, sampled);
    h = 31 * h + Long.hashCode(size);
    h = 31 * h + mode;
    h = 31 * h + uid;
    h = 31 * h + gid;
    h = 31 * h + Long.hashCode(inode);
    h = 31 * h + Long.hashCode(mtimeNanos);
    h = 31 * h + Long.hashCode(ctimeNanos);
    h = 31 * h + Boolean.hashCode(stale);
    return 31 * h + Boolean.hashCode(oversized);
  }
}
