package io.kubefim.ingest.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.auth.Access;
import io.kubefim.ingest.auth.Readers;
import io.kubefim.ingest.auth.SameOrigin;
import io.kubefim.ingest.receive.IngestResult;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code GET} and {@code POST /v1/machines/{computer}/review} (issue 17), for scripts: how many
 * unexpected changes of a machine are unreviewed and through which seq, and marking them reviewed
 * with {@code {"throughSeq": S, "count": N}}: 200 when exactly N unreviewed changes with seq ≤ S
 * were found and marked, 409 (nothing marked) when the store found another number. Readers only,
 * and a login is needed even when reading is open: the store records who reviewed. The web page's
 * form does the same ({@code POST /machines/{computer}/review}).
 */
@Path("/v1/machines/{computer}/review")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {
  private static final Logger LOG = Logger.getLogger(ReviewResource.class);

  private final EventStore events;
  private final MachineStore machines;
  private final ReviewStore reviews;
  private final Readers readers;
  private final CurrentIdentityAssociation identities;

  @Inject
  public ReviewResource(
      EventStore events,
      MachineStore machines,
      ReviewStore reviews,
      Readers readers,
      CurrentIdentityAssociation identities) {
    this.events = events;
    this.machines = machines;
    this.reviews = reviews;
    this.readers = readers;
    this.identities = identities;
  }

  @GET
  @Access(Access.Caller.READER)
  @Blocking
  public Response unreviewed(@PathParam("computer") String computer) {
    if (!events.enabled()) {
      return error(404, "the store sink is not configured (kubefim.ingest.sinks)");
    }
    try {
      if (!machines.known(computer)) {
        return error(404, "no events of computer \"" + computer + "\"");
      }
      ReviewStore.Unreviewed u = reviews.unreviewed(computer);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("Computer", computer);
      body.put("unreviewed", u.count());
      body.put("throughSeq", u.throughSeq());
      return Response.ok(body).build();
    } catch (SQLException e) {
      LOG.errorf("review query failed: node=%s %s", computer, e.getMessage());
      return error(500, "store query failed");
    }
  }

  // No @Consumes: the media type is checked after the login (a 415 first would tell a caller
  // without a login which routes exist; ReaderRoutesIT wants 401 everywhere).
  @POST
  @Access(Access.Caller.READER)
  @Blocking
  public Response review(
      @PathParam("computer") String computer,
      @HeaderParam("Origin") String origin,
      @HeaderParam("Referer") String referer,
      @HeaderParam("Host") String host,
      @HeaderParam("X-Forwarded-Host") String forwardedHost,
      @HeaderParam("Content-Type") String contentType,
      String body) {
    Optional<String> crossSite = SameOrigin.problem(origin, referer, host, forwardedHost, false);
    if (crossSite.isPresent()) {
      return error(403, crossSite.get());
    }
    Optional<String> reviewer = readers.loginName(identities.getIdentity());
    if (reviewer.isEmpty()) {
      return Response.status(401)
          .header("WWW-Authenticate", "Bearer realm=\"kubefim\"")
          .entity(IngestResult.error("marking changes reviewed records who did: log in"))
          .build();
    }
    if (contentType == null
        || !MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType))) {
      return error(415, "Content-Type: expected application/json");
    }
    long throughSeq;
    long count;
    try {
      JsonNode b = Json.mapper().readTree(body == null ? "" : body);
      if (b == null || !b.isObject()) {
        return error(400, "expected a JSON object {\"throughSeq\": N, \"count\": N}");
      }
      throughSeq = number(b, "throughSeq");
      count = number(b, "count");
    } catch (IOException e) {
      return error(400, "not valid JSON");
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
    if (!events.enabled()) {
      return error(404, "the store sink is not configured (kubefim.ingest.sinks)");
    }
    try {
      if (!machines.known(computer)) {
        return error(404, "no events of computer \"" + computer + "\"");
      }
      ReviewStore.Outcome outcome =
          reviews.markReviewed(computer, throughSeq, count, reviewer.get());
      if (outcome instanceof ReviewStore.Mismatch m) {
        Map<String, Object> conflict = new LinkedHashMap<>();
        conflict.put(
            "error",
            "new changes arrived: "
                + m.found()
                + " unreviewed unexpected changes through seq "
                + throughSeq
                + ", not the "
                + count
                + " shown; nothing was marked, reload and review again");
        conflict.put("unreviewed", m.found());
        return Response.status(409).entity(conflict).build();
      }
      ReviewStore.Marked marked = (ReviewStore.Marked) outcome;
      Map<String, Object> ok = new LinkedHashMap<>();
      ok.put("Computer", computer);
      ok.put("reviewed", marked.count());
      ok.put("reviewedBy", marked.reviewer());
      ok.put("reviewedAt", marked.at().toString());
      return Response.ok(ok).build();
    } catch (SQLException e) {
      LOG.errorf("review failed: node=%s %s", computer, e.getMessage());
      return error(500, "store update failed");
    }
  }

  private static long number(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new IllegalArgumentException(field + ": expected a whole number from 0");
    }
    return v.longValue();
  }

  private static Response error(int status, String message) {
    return Response.status(status).entity(IngestResult.error(message)).build();
  }
}
