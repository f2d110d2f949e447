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
            "computer = ? AND change_type = ? AND path_key LIKE ? ESCAPE '!'"
                + " AND (file_path = ? OR file_path LIKE ? ESCAPE '!')")
        .endsWith("ORDER BY computer DESC, time_generated DESC, seq DESC FETCH FIRST ? ROWS ONLY");
    assertThat(sql.params())
        .containsExactly(
            "n1", "Deleted", "/etc/my!_app!%%", "/etc/my_app%", "/etc/my!_app!%/%", 10);
  }

  @Test
  void theIndexedKeyIsTheFirst512CharactersNeverHalfASurrogatePair() {
    String ascii = "/" + "a".repeat(700);
    assertThat(EventQuery.keyPrefix(ascii)).isEqualTo(ascii.substring(0, 512));
    assertThat(EventQuery.keyPrefix("/etc/ssl")).isEqualTo("/etc/ssl");
    // U+1F600 is two chars; one starting at index 511 would be cut in half
    String emoji = "/" + "b".repeat(510) + "\uD83D\uDE00/x";
    assertThat(EventQuery.keyPrefix(emoji)).isEqualTo("/" + "b".repeat(510));
    EventQuery q =
        new EventQuery(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(ascii + "/"),
            Optional.empty(),
            10);
    assertThat(q.toSql().params())
        .containsExactly(ascii.substring(0, 512) + "%", ascii, ascii + "/%", 10);
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

  @Test
  void expectedFiltersTheColumnAndOrdersByTheMachinesExpectedIndex() {
    EventQuery q =
        new EventQuery(
                Optional.of("n1"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                10)
            .withExpected(false);
    EventQuery.Sql sql = q.toSql();
    assertThat(sql.text())
        .contains("WHERE computer = ? AND change_expected = ?")
        .endsWith(
            "ORDER BY computer DESC, change_expected DESC, time_generated DESC, seq DESC"
                + " FETCH FIRST ? ROWS ONLY");
    assertThat(sql.params()).containsExactly("n1", false, 10);
  }
}
