package io.kubefim.ingest.store;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.EntityType;
import io.kubefim.ingest.IngestConfig;
import io.kubefim.ingest.auth.Access;
import io.kubefim.ingest.receive.IngestResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/events} and {@code GET /v1/summary} on the embedded store (SPEC §6), both also
 * filtered by {@code expected=true|false} (ChangeExpected, issue 17). Bad parameters answer 400
 * naming the parameter; 404 when the store sink is not configured.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class QueryResource {
  private static final Logger LOG = Logger.getLogger(QueryResource.class);

  private final EventStore store;
  private final IngestConfig.Store config;

  @Inject
  public QueryResource(EventStore store, IngestConfig config) {
    this.store = store;
    this.config = config.store();
  }

  /** Thrown for a bad query parameter. */
  static final class BadParameter extends Exception {
    BadParameter(String message) {
      super(message);
    }
  }

  @GET
  @Path("/events")
  @Access(Access.Caller.READER)
  @Blocking
  public Response events(
      @QueryParam("computer") String computer,
      @QueryParam("entityType") String entityType,
      @QueryParam("changeType") String changeType,
      @QueryParam("pathPrefix") String pathPrefix,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit,
      @QueryParam("expected") String expected) {
    if (!store.enabled()) {
      return notConfigured();
    }
    try {
      EventQuery q = query(computer, entityType, changeType, pathPrefix, since, limit, expected);
      List<String> events = store.find(q);
      return Response.ok("[" + String.join(",", events) + "]").build();
    } catch (BadParameter e) {
      return bad(e.getMessage());
    } catch (SQLException e) {
      return failed(e);
    }
  }

  @GET
  @Path("/summary")
  @Access(Access.Caller.READER)
  @Blocking
  public Response summary(
      @QueryParam("computer") String computer,
      @QueryParam("entityType") String entityType,
      @QueryParam("changeType") String changeType,
      @QueryParam("pathPrefix") String pathPrefix,
      @QueryParam("since") String since,
      @QueryParam("expected") String expected) {
    if (!store.enabled()) {
      return notConfigured();
    }
    try {
      EventQuery q = query(computer, entityType, changeType, pathPrefix, since, null, expected);
      List<SummaryRow> rows = store.summary(q);
      long total = rows.stream().mapToLong(SummaryRow::count).sum();
      return Response.ok(Map.of("total", total, "counts", rows)).build();
    } catch (BadParameter e) {
      return bad(e.getMessage());
    } catch (SQLException e) {
      return failed(e);
    }
  }

  private EventQuery query(
      String computer,
      String entityType,
      String changeType,
      String pathPrefix,
      String since,
      String limit,
      String expected)
      throws BadParameter {
    return new EventQuery(
        Optional.ofNullable(blankToNull(computer)),
        parseEnum("entityType", EntityType.class, entityType),
        parseEnum("changeType", ChangeType.class, changeType),
        parsePath(pathPrefix),
        parseSince(since),
        parseLimit(limit),
        parseExpected(expected));
  }

  /** {@code true} or {@code false} exactly: a typo must not silently show everything. */
  static Optional<Boolean> parseExpected(String expected) throws BadParameter {
    if (blankToNull(expected) == null) {
      return Optional.empty();
    }
    return switch (expected.trim()) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> throw new BadParameter("expected: expected true or false");
    };
  }

  private int parseLimit(String limit) throws BadParameter {
    if (blankToNull(limit) == null) {
      return config.defaultLimit();
    }
    try {
      int n = Integer.parseInt(limit.trim());
      if (n >= 1 && n <= config.maxLimit()) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadParameter("limit: expected a whole number from 1 to " + config.maxLimit());
  }

  private static Optional<Instant> parseSince(String since) throws BadParameter {
    if (blankToNull(since) == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(since.trim()).toInstant());
    } catch (DateTimeParseException e) {
      throw new BadParameter("since: expected an RFC 3339 time such as 2024-05-01T00:00:00Z");
    }
  }

  private static Optional<String> parsePath(String path) throws BadParameter {
    if (blankToNull(path) == null) {
      return Optional.empty();
    }
    if (!path.startsWith("/")) {
      throw new BadParameter("pathPrefix: expected an absolute path");
    }
    return Optional.of(path);
  }

  private static <E extends Enum<E>> Optional<E> parseEnum(String name, Class<E> type, String v)
      throws BadParameter {
    if (blankToNull(v) == null) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v.trim())) {
        return Optional.of(e);
      }
    }
    throw new BadParameter(
        name
            + ": unknown value \""
            + v
            + "\", expected one of "
            + java.util.Arrays.toString(type.getEnumConstants()));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Response bad(String message) {
    return Response.status(Response.Status.BAD_REQUEST).entity(IngestResult.error(message)).build();
  }

  private static Response notConfigured() {
    return Response.status(Response.Status.NOT_FOUND)
        .entity(IngestResult.error("the store sink is not configured (kubefim.ingest.sinks)"))
        .build();
  }

  private static Response failed(SQLException e) {
    LOG.errorf("store query failed: %s", e.getMessage());
    return Response.serverError().entity(IngestResult.error("store query failed")).build();
  }
}
