package io.kubefim.ingest.store;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.EntityType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A filter over stored events, and its SQL. Pure: {@link #toSql()} builds the statement with
 * positional parameters; every value travels as a parameter, never in the text.
 *
 * @param pathPrefix a directory or file: matches that path and everything below it on segment
 *     boundaries ({@code /etc/ssl} matches {@code /etc/ssl/x}, not {@code /etc/ssl2})
 * @param since inclusive lower bound of TimeGenerated
 * @param expected ChangeExpected (column change_expected; false for an unlabelled change)
 */
public record EventQuery(
    Optional<String> computer,
    Optional<EntityType> entityType,
    Optional<ChangeType> changeType,
    Optional<String> pathPrefix,
    Optional<Instant> since,
    int limit,
    Optional<Boolean> expected) {

  /** Expected and unexpected changes alike. */
  public EventQuery(
      Optional<String> computer,
      Optional<EntityType> entityType,
      Optional<ChangeType> changeType,
      Optional<String> pathPrefix,
      Optional<Instant> since,
      int limit) {
    this(computer, entityType, changeType, pathPrefix, since, limit, Optional.empty());
  }

  /** This filter for expected ({@code true}) or unexpected changes only. */
  public EventQuery withExpected(boolean value) {
    return new EventQuery(
        computer, entityType, changeType, pathPrefix, since, limit, Optional.of(value));
  }

  /** SQL text and its parameters, in order. */
  public record Sql(String text, List<Object> params) {}

  static final String COLUMNS = StoredEvent.COLUMNS;

  public Sql toSql() {
    List<Object> params = new ArrayList<>();
    String where = where(params);
    params.add(limit);
    return new Sql(
        "SELECT "
            + COLUMNS
            + " FROM kubefim_events"
            + where
            + orderBy()
            + " FETCH FIRST ? ROWS ONLY",
        params);
  }

  /**
   * Newest first. With a computer filter the order also names computer (constant under the filter),
   * so H2 walks index (computer, time_generated, seq) backwards and stops after {@code limit} rows
   * instead of sorting all of that machine's events (docs/benchmarks-web.md); with expected too,
   * index (computer, change_expected, time_generated, seq) of V7.
   */
  String orderBy() {
    if (computer.isPresent() && expected.isPresent()) {
      return " ORDER BY computer DESC, change_expected DESC, time_generated DESC, seq DESC";
    }
    return computer.isPresent()
        ? " ORDER BY computer DESC, time_generated DESC, seq DESC"
        : " ORDER BY time_generated DESC, seq DESC";
  }

  /** The WHERE clause (with a leading space) or empty; also used by the summary. */
  String where(List<Object> params) {
    List<String> terms = new ArrayList<>();
    computer.ifPresent(
        c -> {
          terms.add("computer = ?");
          params.add(c);
        });
    entityType.ifPresent(
        e -> {
          terms.add("entity_type = ?");
          params.add(e.name());
        });
    changeType.ifPresent(
        c -> {
          terms.add("change_type = ?");
          params.add(c.name());
        });
    pathPrefix.ifPresent(
        p -> {
          String prefix = normalize(p);
          if (prefix.equals("/")) {
            terms.add("file_path LIKE '/%'");
          } else {
            // path_key (V5) narrows through its index; file_path decides
            terms.add(
                "path_key LIKE ? ESCAPE '!' AND (file_path = ? OR file_path LIKE ? ESCAPE '!')");
            params.add(escapeLike(keyPrefix(prefix)) + "%");
            params.add(prefix);
            params.add(escapeLike(prefix) + "/%");
          }
        });
    expected.ifPresent(
        x -> {
          terms.add("change_expected = ?");
          params.add(x);
        });
    since.ifPresent(
        s -> {
          terms.add("time_generated >= ?");
          params.add(s);
        });
    return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
  }

  /** Characters of file_path in the indexed column path_key (db/vendor/{h2,postgresql}/V5). */
  static final int PATH_KEY_CHARS = 512;

  /**
   * The start of {@code prefix} that path_key of every matching path begins with: at most {@value
   * #PATH_KEY_CHARS} characters, never half a surrogate pair.
   */
  static String keyPrefix(String prefix) {
    if (prefix.length() <= PATH_KEY_CHARS) {
      return prefix;
    }
    int end = PATH_KEY_CHARS;
    if (Character.isHighSurrogate(prefix.charAt(end - 1))) {
      end--;
    }
    return prefix.substring(0, end);
  }

  /** Without trailing slashes ("/" stays "/"). */
  static String normalize(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
