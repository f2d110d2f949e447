package io.kubefim.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.agent.health.Workers;
import io.kubefim.agent.watch.WatchBackends.Choice;
import org.junit.jupiter.api.Test;

/** {@code --watch-backend}: its spellings, and what {@code auto} means on each OS. */
class WatchBackendsTest {
  @Test
  void theFlagsSpellingsAndNothingElse() {
    assertThat(WatchBackends.parse("inotify")).isEqualTo(Choice.INOTIFY);
    assertThat(WatchBackends.parse("watchservice")).isEqualTo(Choice.WATCHSERVICE);
    assertThat(WatchBackends.parse("auto")).isEqualTo(Choice.AUTO);
    for (String bad : new String[] {"", "INOTIFY", "fanotify", "watch-service", null}) {
      assertThat(WatchBackends.parse(bad)).as(String.valueOf(bad)).isNull();
    }
  }

  @Test
  void autoIsInotifyOnLinuxAndTheWatchServiceElsewhere() {
    assertThat(WatchBackends.resolve(Choice.AUTO, "Linux")).isEqualTo(Choice.INOTIFY);
    assertThat(WatchBackends.resolve(Choice.AUTO, "Windows Server 2022"))
        .isEqualTo(Choice.WATCHSERVICE);
    assertThat(WatchBackends.resolve(Choice.AUTO, "Mac OS X")).isEqualTo(Choice.WATCHSERVICE);
    assertThat(WatchBackends.resolve(Choice.AUTO, null)).isEqualTo(Choice.WATCHSERVICE);
    assertThat(WatchBackends.resolve(Choice.INOTIFY, "Windows 11")).isEqualTo(Choice.INOTIFY);
    assertThat(WatchBackends.resolve(Choice.WATCHSERVICE, "Linux")).isEqualTo(Choice.WATCHSERVICE);
  }

  @Test
  void openGivesTheChosenBackend() {
    try (WatchBackend b = WatchBackends.open(Choice.WATCHSERVICE, new Workers())) {
      assertThat(b).isInstanceOf(WatchServiceBackend.class);
    }
    try (WatchBackend b = WatchBackends.open(Choice.INOTIFY, new Workers())) {
      assertThat(b).isInstanceOf(InotifyBackend.class);
    }
    try (WatchBackend b = WatchBackends.open(Choice.AUTO, new Workers())) {
      assertThat(b).isInstanceOf(InotifyBackend.class); // this suite runs on Linux
    }
  }
}
