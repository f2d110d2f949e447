package io.kubefim.agent.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.scan.FileState;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DifferTest {
  static final FileState BASE =
      new FileState(
          FileType.File,
          10,
          0644,
          0,
          0,
          7,
          1_000,
          2_000,
          null,
          "aa",
          null,
          null,
          false,
          null,
          false);
  static final Set<Attribute> ALL = EnumSet.allOf(Attribute.class);
  static final Set<HashAlgorithm> SHA = EnumSet.of(HashAlgorithm.SHA256);

  static FileState with(UnaryOperator<Builder> f) {
    return f.apply(new Builder(BASE)).build();
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of("nothing", BASE, BASE, ALL, null),
        Arguments.of("created", null, BASE, ALL, new Change(ChangeType.Created, List.of())),
        Arguments.of("deleted", BASE, null, ALL, new Change(ChangeType.Deleted, List.of())),
        Arguments.of("mtime alone", BASE, with(b -> b.mtime(5_000)), ALL, null),
        Arguments.of("ctime and inode alone", BASE, with(b -> b.ctime(9).inode(99)), ALL, null),
        Arguments.of("content", BASE, with(b -> b.sha("bb")), ALL, mod(FieldChanged.Content)),
        Arguments.of(
            "content and size",
            BASE,
            with(b -> b.sha("bb").size(11)),
            ALL,
            mod(FieldChanged.Content, FieldChanged.Size)),
        Arguments.of("chmod", BASE, with(b -> b.mode(0600)), ALL, mod(FieldChanged.Permissions)),
        Arguments.of("chown", BASE, with(b -> b.uid(5)), ALL, mod(FieldChanged.Owner)),
        Arguments.of("chgrp", BASE, with(b -> b.gid(5)), ALL, mod(FieldChanged.Group)),
        Arguments.of(
            "chmod not watched",
            BASE,
            with(b -> b.mode(0600)),
            EnumSet.of(Attribute.CONTENT),
            null),
        Arguments.of(
            "type", BASE, with(b -> b.type(FileType.Directory)), ALL, mod(FieldChanged.Type)),
        Arguments.of(
            "symlink retarget",
            with(b -> b.type(FileType.Symlink).target("a").sha(null)),
            with(b -> b.type(FileType.Symlink).target("b").sha(null)),
            ALL,
            mod(FieldChanged.SymlinkTarget)),
        Arguments.of(
            "oversized: size change counts as content",
            with(b -> b.sha(null)),
            with(b -> b.sha(null).size(20)),
            ALL,
            mod(FieldChanged.Content, FieldChanged.Size)),
        Arguments.of(
            "oversized: same size no event",
            with(b -> b.sha(null)),
            with(b -> b.sha(null).mtime(3)),
            ALL,
            null));
  }

  static Change mod(FieldChanged... f) {
    return new Change(ChangeType.Modified, List.of(f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void diff(String name, FileState before, FileState after, Set<Attribute> attrs, Change expected) {
    assertThat(Differ.diff(before, after, attrs, SHA)).isEqualTo(expected);
  }

  static final class Builder {
    FileType type;
    long size;
    int mode;
    int uid;
    int gid;
    long inode;
    long mtime;
    long ctime;
    String target;
    String sha;

    Builder(FileState s) {
      type = s.type();
      size = s.size();
      mode = s.mode();
      uid = s.uid();
      gid = s.gid();
      inode = s.inode();
      mtime = s.mtimeNanos();
      ctime = s.ctimeNanos();
      target = s.symlinkTarget();
      sha = s.sha256();
    }

    Builder type(FileType t) {
      type = t;
      return this;
    }

    Builder size(long v) {
      size = v;
      return this;
    }

    Builder mode(int v) {
      mode = v;
      return this;
    }

    Builder uid(int v) {
      uid = v;
      return this;
    }

    Builder gid(int v) {
      gid = v;
      return this;
    }

    Builder inode(long v) {
      inode = v;
      return this;
    }

    Builder mtime(long v) {
      mtime = v;
      return this;
    }

    Builder ctime(long v) {
      ctime = v;
      return this;
    }

    Builder target(String v) {
      target = v;
      return this;
    }

    Builder sha(String v) {
      sha = v;
      return this;
    }

    FileState build() {
      return new FileState(
          type, size, mode, uid, gid, inode, mtime, ctime, target, sha, null, null, false, null,
          false);
    }
  }
}
