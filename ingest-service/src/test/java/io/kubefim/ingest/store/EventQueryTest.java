package io.kubefim.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.api.event.ChangeType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventQueryTest {
  @Test
  void pathPrefixIsSegmentAwareAndEscaped() {
    EventQuery q =
        new EventQuery(
            Optional.of("n1"),
            Optional.empty(),
            Optional.of(ChangeType.Deleted),
            Optional.of("/etc/my_app%/"),
            Optional.empty(),
            10);
    EventQuery.Sql sql = q.toSql();
    assertThat(sql.text())
        .contains(
            "computer = ? AND change_type = ? AND (file_path = ? OR file_path LIKE ? ESCAPE '!')")
        .endsWith("ORDER BY computer DESC, time_generated DESC, seq DESC FETCH FIRST ? ROWS ONLY");
    assertThat(sql.params())
        .containsExactly("n1", "Deleted", "/etc/my_app%", "/etc/my!_app!%/%", 10);
  }

  @Test
  void rootPrefixAndNoFilter() {
    EventQuery root =
        new EventQuery(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("/"),
            Optional.empty(),
            5);
    assertThat(root.toSql().text()).contains("WHERE file_path LIKE '/%'");
    EventQuery none =
        new EventQuery(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            5);
    assertThat(none.toSql().text()).doesNotContain("WHERE");
  }
}
