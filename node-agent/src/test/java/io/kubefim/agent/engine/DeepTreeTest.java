package io.kubefim.agent.engine;

import static io.kubefim.agent.Fixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.Fixture;
import io.kubefim.agent.scan.WalkDepth;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FimEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory tree about 2,000 levels deep (as deep as Linux's PATH_MAX lets absolute paths go with
 * one-letter names) on a real file system: the walk neither overflows the stack nor goes past
 * {@link WalkDepth#MAX}, says so with a CoverageGap, and goes on detecting changes elsewhere.
 */
class DeepTreeTest {
  @TempDir Path tmp;
  Fixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new Fixture(tmp);
  }

  @AfterEach
  void tearDown() throws IOException {
    fx.close();
    // deepest first: JUnit's own clean-up resolves every directory's real path (quadratic here)
    Path d = fx.p("/deep");
    List<Path> dirs = new ArrayList<>();
    while (Files.isDirectory(d.resolve("d"))) {
      d = d.resolve("d");
      dirs.add(d);
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      try (var s = Files.list(dirs.get(i))) {
        for (Path f : s.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dirs.get(i));
    }
  }

  /**
   * Runs a full scan on a thread with a 512 KiB stack, as the agent's engine thread has ({@code
   * -Xss512k} in bin/kubefim-agent and the image): the main test thread's 8 MiB would hide a
   * recursion that kills the agent.
   */
  List<FimEvent> scanOnEngineSizedStack(ScanEngine e) throws Exception {
    AtomicReference<Throwable> died = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                e.fullScan(DetectionSource.Scan);
              } catch (Throwable x) {
                died.set(x);
              }
            },
            "engine",
            512 << 10);
    t.start();
    t.join();
    assertThat(died.get()).as("the engine thread died").isNull();
    return fx.drain();
  }

  @Test
  void twoThousandLevelsBaselineWithAGapAndShallowChangesAreStillSeen() throws Exception {
    fx.write("/deep/shallow", "v1");
    // one-letter levels up to just under PATH_MAX (4,096 bytes) for the absolute real path
    int levels = Math.min(2000, (4000 - fx.p("/deep").toString().length()) / 2);
    assertThat(levels).isGreaterThan(1800);
    Path deepest = Files.createDirectories(fx.p("/deep").resolve("d/".repeat(levels)));
    Files.writeString(deepest.resolve("bottom"), "x");
    ScanEngine e = fx.engine(rule("/deep"));

    List<FimEvent> first = scanOnEngineSizedStack(e);

    String gapDir = "/deep" + "/d".repeat(WalkDepth.MAX); // depth MAX + 1
    assertThat(first)
        .extracting(FimEvent::getChangeType)
        .containsExactlyInAnyOrder(ChangeType.CoverageGap, ChangeType.BaselineCreated);
    FimEvent gap =
        first.stream()
            .filter(x -> x.getChangeType() == ChangeType.CoverageGap)
            .findFirst()
            .orElseThrow();
    assertThat(gap.getFilePath()).isEqualTo(gapDir);
    assertThat(gap.getErrorMessage()).isEqualTo(WalkDepth.GAP_REASON);
    assertThat(gap.getDetails()).contains(gapDir).contains("256 levels");
    // /deep, shallow, and directories down to the gap (itself an entry, not listed)
    assertThat(fx.store.entryCount()).isEqualTo(2 + WalkDepth.MAX);
    assertThat(fx.store.get(gapDir)).isNotNull();
    assertThat(fx.store.get(gapDir + "/d")).isNull();

    fx.write("/deep/shallow", "v2");
    List<FimEvent> second = scanOnEngineSizedStack(e);
    assertThat(second).hasSize(1);
    assertThat(second.get(0).getChangeType()).isEqualTo(ChangeType.Modified);
    assertThat(second.get(0).getFilePath()).isEqualTo("/deep/shallow");
    assertThat(second.get(0).getFieldsChanged()).contains(FieldChanged.Content);
  }

  @Test
  void subtreeRescanOfADirectoryPastTheBoundListsNothingAndSaysSo() throws Exception {
    Files.createDirectories(fx.p("/deep").resolve("d/".repeat(WalkDepth.MAX + 5)));
    String tooDeep = "/deep" + "/d".repeat(WalkDepth.MAX + 1);
    // as the realtime side asks for a directory created or moved in down there
    fx.engine(rule("/deep")).reconcileSubtree(tooDeep, DetectionSource.Realtime);
    FimEvent gap = fx.drain().get(0);
    assertThat(gap.getChangeType()).isEqualTo(ChangeType.CoverageGap);
    assertThat(gap.getFilePath()).isEqualTo(tooDeep);
    assertThat(fx.store.get(tooDeep + "/d")).isNull();
  }
}
