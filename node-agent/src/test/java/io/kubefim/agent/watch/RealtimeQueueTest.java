package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.watch.RealtimeQueue.Rename;
import io.kubefim.agent.watch.RealtimeQueue.Work;
import org.junit.jupiter.api.Test;

/** The debounce queue with an explicit clock: renames and the pending work around them. */
class RealtimeQueueTest {
  static final long D = 500;
  final RealtimeQueue q = new RealtimeQueue(p -> D);

  @Test
  void aPathAloneIsTakenAfterItsDebounce() {
    q.touch("/a/f", 0);
    assertThat(q.take(D - 1).isEmpty()).isTrue();
    assertThat(q.take(D).paths()).containsExactly("/a/f");
    assertThat(q.size()).isZero();
  }

  @Test
  void aChangeOfTheOldNameWaitsForTheRenameAndIsTakenWithIt() {
    q.touch("/a/f", 0); // chmod f
    q.rename("/a/f", "/a/g", 50); // mv f g, 50 ms later
    assertThat(q.take(D).isEmpty()).as("f's debounce ended, the rename's did not").isTrue();
    assertThat(q.nextDue(D, 10_000)).isEqualTo(D + 50);
    Work w = q.take(D + 50);
    assertThat(w.renames()).containsExactly(new Rename("/a/f", "/a/g", true));
    assertThat(w.paths()).containsExactly("/a/f");
  }

  @Test
  void aRenameWaitsForAWriteOfTheNewNameAndIsTakenWithIt() {
    q.rename("/a/f", "/a/g", 0);
    q.touch("/a/g", 100);
    assertThat(q.take(D).isEmpty()).isTrue();
    Work w = q.take(D + 100);
    assertThat(w.renames()).containsExactly(new Rename("/a/f", "/a/g", false));
    assertThat(w.paths()).containsExactly("/a/g");
  }

  @Test
  void aWriteBelowARenamedDirectoryHoldsTheRename() {
    q.touch("/a/d/x", 0);
    q.rename("/a/d", "/a/e", 10);
    q.touch("/a/e/y", 200);
    q.touch("/a/dx", 0); // not below /a/d: taken on its own
    Work early = q.take(D);
    assertThat(early.paths()).containsExactly("/a/dx");
    assertThat(early.renames()).isEmpty();
    Work w = q.take(D + 200);
    assertThat(w.renames()).containsExactly(new Rename("/a/d", "/a/e", true));
    assertThat(w.paths()).containsExactly("/a/d/x", "/a/e/y");
  }

  @Test
  void unrelatedWorkIsNotHeldByARename() {
    q.rename("/a/f", "/a/g", 0);
    q.touch("/a/g", 400);
    q.touch("/a/other", 0);
    assertThat(q.take(D).paths()).containsExactly("/a/other");
  }

  @Test
  void aChainOfRenamesIsOneRenameFromTheFirstName() {
    q.rename("/a/f", "/a/g", 0);
    q.rename("/a/g", "/a/h", 10);
    Work w = q.take(D + 10);
    assertThat(w.renames()).containsExactly(new Rename("/a/f", "/a/h", false));
    // the intermediate name is compared too (a rename-over may have replaced an entry there)
    assertThat(w.paths()).containsExactly("/a/g");
  }

  @Test
  void aChangeUnderTheIntermediateNameOfAChainIsAChangeBeforeTheRename() {
    q.rename("/a/f", "/a/g", 0);
    q.touch("/a/g", 5); // chmod g
    q.rename("/a/g", "/a/h", 10);
    assertThat(q.take(D + 10).renames()).containsExactly(new Rename("/a/f", "/a/h", true));
  }

  @Test
  void renamedThereAndBackIsNoRenameButACheckOfThePath() {
    q.rename("/a/f", "/a/g", 0);
    q.rename("/a/g", "/a/f", 10);
    Work w = q.take(D + 10);
    assertThat(w.renames()).isEmpty();
    assertThat(w.paths()).containsExactlyInAnyOrder("/a/f", "/a/g");
  }

  @Test
  void aFileRenamedIntoADirectoryThatIsRenamedGetsItsFinalName() {
    q.rename("/a/x", "/a/d/x", 0);
    q.rename("/a/d", "/a/e", 10);
    assertThat(q.take(D + 10).renames())
        .containsExactly(new Rename("/a/x", "/a/e/x", false), new Rename("/a/d", "/a/e", false));
  }

  @Test
  void renamesSharingAPathAreTakenTogetherInOrder() {
    q.rename("/a/f", "/a/g", 0); // mv f g
    q.rename("/a/h", "/a/f", 300); // mv h f: f is the new name of another file
    assertThat(q.take(D).isEmpty()).isTrue();
    assertThat(q.take(D + 300).renames())
        .containsExactly(new Rename("/a/f", "/a/g", false), new Rename("/a/h", "/a/f", false));
  }

  @Test
  void aFileWrittenWithoutPauseDoesNotHoldItsRenameBeyondTheCap() {
    q.rename("/a/f", "/a/g", 0);
    long cap = 10 * D;
    for (long t = 100; t < cap + 2000; t += 100) {
      q.touch("/a/g", t);
      Work w = q.take(t);
      if (!w.renames().isEmpty()) {
        assertThat(t).isLessThanOrEqualTo(cap);
        assertThat(w.paths()).containsExactly("/a/g");
        return;
      }
    }
    throw new AssertionError("the rename was never taken");
  }

  @Test
  void heldWorkDoesNotMakeTheEngineSpin() {
    q.touch("/a/f", 0);
    q.rename("/a/f", "/a/g", 50);
    q.touch("/a/g", 300);
    // at D, f is due but held: the next wake-up is when its group is due, not now
    assertThat(q.nextDue(D, 10_000)).isEqualTo(D + 300);
    assertThat(q.take(D + 299).isEmpty()).isTrue();
    Work w = q.take(D + 300);
    assertThat(w.renames()).hasSize(1);
    assertThat(w.paths()).containsExactly("/a/f", "/a/g");
  }
}
