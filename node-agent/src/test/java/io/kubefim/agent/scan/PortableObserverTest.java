package io.kubefim.agent.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubefim.api.event.FileType;
import io.kubefim.api.policy.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.DosFileAttributeView;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portable observer (Windows nodes, issue 15) forced on Linux: basic attributes, the owner's
 * name, DOS attributes where the file system keeps them, hashing through a JDK channel that never
 * follows a link.
 */
class PortableObserverTest {
  static final Set<HashAlgorithm> ALL = EnumSet.allOf(HashAlgorithm.class);
  @TempDir Path tmp;
  final FileObserver observer = FileObserver.portable();

  @Test
  void theDefaultObserverIsChosenByCapability() {
    assertThat(observer.isPortable()).isTrue();
    assertThat(new FileObserver().isPortable())
        .isEqualTo(!tmp.getFileSystem().supportedFileAttributeViews().contains("unix"));
  }

  @Test
  void givesSizeHashesAndOwner() throws Exception {
    Path f = Files.writeString(tmp.resolve("win.ini"), "abc");
    FileState st = observer.stat(f);
    String owner = Files.getOwner(f, LinkOption.NOFOLLOW_LINKS).getName();

    assertThat(st.type()).isEqualTo(FileType.File);
    assertThat(st.size()).isEqualTo(3);
    assertThat(st.owner()).isEqualTo(owner);
    assertThat(st.uid()).isEqualTo(DosMode.ownerId(owner)).isNotZero();
    assertThat(st.gid()).isZero();
    assertThat(st.ownerString()).isEqualTo(owner);
    assertThat(st.groupString()).isNull();
    assertThat(DosMode.isDos(st.mode())).isTrue();
    assertThat(st.mtimeNanos()).isPositive();

    FileState h = observer.hash(f, st, ALL);
    assertThat(h.sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(h.sha1()).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(h.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(h.owner()).isEqualTo(owner);
    // the same file read the unix way, for the same content
    assertThat(new FileObserver(false).hash(f, new FileObserver(false).stat(f), ALL).sha256())
        .isEqualTo(h.sha256());
  }

  @Test
  void aSymlinkIsNotFollowed() throws Exception {
    Path target = Files.writeString(tmp.resolve("target"), "data");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target.getFileName());
    FileState st = observer.stat(link);
    assertThat(st.type()).isEqualTo(FileType.Symlink);
    assertThat(st.symlinkTarget()).isEqualTo("target");
    assertThat(st.size()).isNotEqualTo(4); // the link's own size, not the target's
    assertThatThrownBy(() -> observer.hash(link, st, ALL))
        .isInstanceOf(NotRegularFileException.class)
        .hasMessageContaining("symlink");
    assertThatThrownBy(() -> observer.sample(link, st)).isInstanceOf(NotRegularFileException.class);
  }

  @Test
  void directoriesFifosAndGoneFilesAreNotRead() throws Exception {
    FileState dir = observer.stat(tmp);
    assertThat(dir.type()).isEqualTo(FileType.Directory);
    assertThat(dir.size()).isZero();
    assertThatThrownBy(() -> observer.hash(tmp, dir, ALL))
        .isInstanceOf(NotRegularFileException.class)
        .hasMessageContaining("directory");
    assertThat(observer.stat(tmp.resolve("gone"))).isNull();
    assertThatThrownBy(() -> observer.hash(tmp.resolve("gone"), dir, ALL))
        .isInstanceOf(NoSuchFileException.class);
    Path fifo = tmp.resolve("fifo");
    FileObserverTest.mkfifo(fifo);
    FileState f = observer.stat(fifo);
    assertThat(f.type()).isEqualTo(FileType.Other);
    assertThatThrownBy(() -> observer.hash(fifo, FileObserverTest.WAS_A_FILE, ALL))
        .isInstanceOf(NotRegularFileException.class);
  }

  @Test
  void samplesAsTheUnixObserverDoes() throws Exception {
    Path f = Files.write(tmp.resolve("big"), new byte[40 * FileObserver.SAMPLE_BLOCK + 7]);
    FileObserver unix = new FileObserver(false);
    assertThat(observer.sample(f, observer.stat(f)).sampled())
        .isEqualTo(unix.sample(f, unix.stat(f)).sampled());
  }

  @Test
  void dosAttributesAreTheModeAndAChangeOfThemIsAChangeOfMode() throws Exception {
    Path f = Files.writeString(tmp.resolve("system.ini"), "x");
    DosFileAttributeView dos = Files.getFileAttributeView(f, DosFileAttributeView.class);
    try {
      dos.setHidden(true);
      dos.setSystem(true);
      dos.setArchive(true);
    } catch (IOException | UnsupportedOperationException e) {
      System.out.println(
          "PortableObserverTest: DOS attributes not kept on " + tmp + " (" + e + "), skipped");
      assumeTrue(false, "no dos attribute view here: " + e);
    }
    FileState st = observer.stat(f);
    assertThat(st.modeString()).isEqualTo("-a-hs-");
    dos.setReadOnly(true);
    FileState ro = observer.stat(f);
    assertThat(ro.modeString()).isEqualTo("-arhs-");
    assertThat(ro.mode()).isNotEqualTo(st.mode());
    assertThat(observer.stat(tmp).modeString()).startsWith("d");
    dos.setReadOnly(false);
  }

  @Test
  void whereDosAttributesCannotBeReadTheModeIsUnknown() throws Exception {
    Path target = Files.writeString(tmp.resolve("t"), "x");
    Path link = Files.createSymbolicLink(tmp.resolve("l"), target.getFileName());
    FileState st = observer.stat(link); // Linux keeps no xattrs on a symlink
    assertThat(DosMode.isDos(st.mode())).isTrue();
    if ((st.mode() & DosMode.UNKNOWN) != 0) {
      assertThat(st.modeString()).isNull();
    } else {
      System.out.println("PortableObserverTest: this file system keeps DOS attributes on links");
      assertThat(st.modeString()).endsWith("l");
    }
  }
}
