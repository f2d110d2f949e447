package io.kubefim.ingest.web;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.ingest.auth.Access;
import io.kubefim.ingest.auth.Readers;
import io.kubefim.ingest.auth.SameOrigin;
import io.kubefim.ingest.store.EventQuery;
import io.kubefim.ingest.store.EventStore;
import io.kubefim.ingest.store.MachineStore;
import io.kubefim.ingest.store.PageCursor;
import io.kubefim.ingest.store.ReviewStore;
import io.kubefim.ingest.store.StoredEvent;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code GET /machines/{computer}}: its unexpected changes newest first, 50 a page (keyset cursor
 * {@code ?before=}), then its expected changes apart, each with its reason (cursor {@code
 * ?expectedBefore=}; issue 17), both filtered by changeType, pathPrefix and window; and {@code
 * changes.csv}, the whole filtered list streamed. 404 for a computer the store has never seen.
 */
@Path("/machines/{computer}")
public class MachinePage {
  private static final Logger LOG = Logger.getLogger(MachinePage.class);
  static final int PAGE_SIZE = 50;

  /** Rows read per query while streaming the CSV. */
  static final int CSV_CHUNK = 1000;

  private final EventStore events;
  private final MachineStore machines;
  private final ReviewStore reviews;
  private final Readers readers;
  private final CurrentIdentityAssociation identities;
  private final Template template;

  @Inject
  public MachinePage(
      EventStore events,
      MachineStore machines,
      ReviewStore reviews,
      Readers readers,
      CurrentIdentityAssociation identities,
      @Location("machine") Template template) {
    this.events = events;
    this.machines = machines;
    this.reviews = reviews;
    this.readers = readers;
    this.identities = identities;
    this.template = template;
  }

  /**
   * The page's "Mark reviewed" form: marks the machine's unreviewed unexpected changes through
   * {@code throughSeq} as reviewed by the reader, if there are exactly {@code count} (what the page
   * showed), and sends the browser back to the page (303); 409 when new changes arrived. Only from
   * this service's own page ({@link SameOrigin}).
   */
  @POST
  @Path("/review")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_PLAIN)
  @Access(Access.Caller.READER)
  @Blocking
  public Response review(
      @PathParam("computer") String computer,
      @FormParam("throughSeq") String throughSeq,
      @FormParam("count") String count,
      @HeaderParam("Origin") String origin,
      @HeaderParam("Referer") String referer,
      @HeaderParam("Host") String host,
      @HeaderParam("X-Forwarded-Host") String forwardedHost) {
    Optional<String> crossSite = SameOrigin.problem(origin, referer, host, forwardedHost, true);
    if (crossSite.isPresent()) {
      return Pages.forbidden(crossSite.get());
    }
    Optional<String> reviewer = readers.loginName(identities.getIdentity());
    if (reviewer.isEmpty()) {
      return Pages.unauthorized("marking changes reviewed records who did: log in first");
    }
    long seq;
    long n;
    try {
      seq = Long.parseLong(throughSeq == null ? "" : throughSeq.trim());
      n = Long.parseLong(count == null ? "" : count.trim());
      if (seq < 0 || n < 0) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      return Pages.bad("throughSeq, count: expected whole numbers from 0");
    }
    if (!events.enabled()) {
      return Pages.notConfigured();
    }
    String self = Links.machine(computer);
    try {
      if (!machines.known(computer)) {
        return Pages.notFound("no events of computer \"" + computer + "\"");
      }
      ReviewStore.Outcome outcome = reviews.markReviewed(computer, seq, n, reviewer.get());
      if (outcome instanceof ReviewStore.Mismatch m) {
        return Pages.conflict(
            "New changes arrived since the page was shown ("
                + m.found()
                + " unreviewed, not "
                + n
                + "): nothing was marked. Reload the page and review again: "
                + self);
      }
      return Response.seeOther(java.net.URI.create(self)).build();
    } catch (SQLException e) {
      LOG.errorf("review failed: node=%s %s", computer, e.getMessage());
      return Pages.failed();
    }
  }

  /** The parsed filter of both answers, or the message of its first bad parameter. */
  record Filter(
      Window window, Optional<ChangeType> changeType, Optional<String> pathPrefix, String error) {

    static Filter parse(String window, String changeType, String pathPrefix) {
      Optional<Window> w = Window.parse(window);
      if (w.isEmpty()) {
        return error("window: expected one of 24h, 7d, 14d");
      }
      Optional<ChangeType> type = Optional.empty();
      if (changeType != null && !changeType.isBlank()) {
        try {
          type = Optional.of(ChangeType.valueOf(changeType.trim()));
        } catch (IllegalArgumentException e) {
          return error("changeType: unknown value \"" + changeType + "\"");
        }
      }
      Optional<String> path = Optional.empty();
      if (pathPrefix != null && !pathPrefix.isBlank()) {
        if (!pathPrefix.trim().startsWith("/")) {
          return error("pathPrefix: expected an absolute path");
        }
        path = Optional.of(pathPrefix.trim());
      }
      return new Filter(w.get(), type, path, null);
    }

    private static Filter error(String message) {
      return new Filter(null, Optional.empty(), Optional.empty(), message);
    }

    EventQuery query(String computer, Instant now) {
      return new EventQuery(
          Optional.of(computer),
          Optional.empty(),
          changeType,
          pathPrefix,
          Optional.of(now.minus(window.length())),
          1);
    }

    Map<String, String> params() {
      return Links.params(
          "window",
          window.param(),
          "changeType",
          changeType.map(Enum::name).orElse(""),
          "pathPrefix",
          pathPrefix.orElse(""));
    }
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.READER)
  @Blocking
  public Response page(
      @PathParam("computer") String computer,
      @QueryParam("window") String window,
      @QueryParam("changeType") String changeType,
      @QueryParam("pathPrefix") String pathPrefix,
      @QueryParam("before") String before,
      @QueryParam("expectedBefore") String expectedBefore) {
    if (!events.enabled()) {
      return Pages.notConfigured();
    }
    Filter f = Filter.parse(window, changeType, pathPrefix);
    if (f.error() != null) {
      return Pages.bad(f.error());
    }
    Optional<PageCursor> cursor = PageCursor.parse(before);
    if (before != null && !before.isBlank() && cursor.isEmpty()) {
      return Pages.bad("before: not a page cursor");
    }
    Optional<PageCursor> expectedCursor = PageCursor.parse(expectedBefore);
    if (expectedBefore != null && !expectedBefore.isBlank() && expectedCursor.isEmpty()) {
      return Pages.bad("expectedBefore: not a page cursor");
    }
    try {
      if (!machines.known(computer)) {
        return Pages.notFound("no events of computer \"" + computer + "\"");
      }
      // Counted before the lists are read: every change counted is committed, so it is listed
      // (when the filter and page show it); one committed later is not counted, and the review
      // refuses (409) when it is found under the seq the form carries.
      ReviewStore.Unreviewed unreviewed = reviews.unreviewed(computer);
      EventQuery q = f.query(computer, Instant.now());
      Section unexpected = section(q.withExpected(false), cursor);
      Section expected = section(q.withExpected(true), expectedCursor);
      String self = Links.machine(computer);
      Map<String, String> params = f.params();
      String html =
          template
              .data("computer", computer)
              .data("unreviewed", unreviewed.count())
              .data("throughSeq", unreviewed.throughSeq())
              .data("reviewAction", self + "/review")
              .data("windows", MachinesPage.windowOptions(f.window()))
              .data("window", f.window().param())
              .data("changeTypes", changeTypeOptions(f.changeType()))
              .data("pathPrefix", f.pathPrefix().orElse(""))
              .data("changes", unexpected.changes())
              .data("paged", cursor.isPresent())
              .data("expectedChanges", expected.changes())
              .data("expectedPaged", expectedCursor.isPresent())
              .data("firstHref", Links.with(self, params))
              .data(
                  "nextHref",
                  unexpected.next() == null
                      ? ""
                      : Links.with(self, cursors(params, unexpected.next(), expectedBefore)))
              .data(
                  "expectedNextHref",
                  expected.next() == null
                      ? ""
                      : Links.with(self, cursors(params, before, expected.next())))
              .data("csvHref", Links.with(self + "/changes.csv", params))
              .data("backHref", Links.with("/", Links.params("window", f.window().param())))
              .render();
      return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    } catch (SQLException e) {
      LOG.errorf("machine page query failed: node=%s %s", computer, e.getMessage());
      return Pages.failed();
    }
  }

  /** One list of the page: its changes, and the cursor of the next page (null on the last). */
  record Section(List<ChangeView> changes, String next) {}

  private Section section(EventQuery query, Optional<PageCursor> cursor) throws SQLException {
    List<StoredEvent> rows = machines.page(query, cursor, PAGE_SIZE + 1);
    boolean more = rows.size() > PAGE_SIZE;
    List<StoredEvent> shown = more ? rows.subList(0, PAGE_SIZE) : rows;
    List<ChangeView> changes = new ArrayList<>(shown.size());
    for (StoredEvent r : shown) {
      changes.add(ChangeView.of(r));
    }
    return new Section(changes, more ? shown.get(shown.size() - 1).cursor().text() : null);
  }

  /** The filter with both lists' cursors (blank ones are left out of the link). */
  private static Map<String, String> cursors(
      Map<String, String> params, String before, String expectedBefore) {
    Map<String, String> m = new java.util.LinkedHashMap<>(params);
    m.put("before", before == null ? "" : before);
    m.put("expectedBefore", expectedBefore == null ? "" : expectedBefore);
    return m;
  }

  @GET
  @Path("/changes.csv")
  @Access(Access.Caller.READER)
  @Produces("text/csv")
  @Blocking
  public Response csv(
      @PathParam("computer") String computer,
      @QueryParam("window") String window,
      @QueryParam("changeType") String changeType,
      @QueryParam("pathPrefix") String pathPrefix) {
    if (!events.enabled()) {
      return Pages.notConfigured();
    }
    Filter f = Filter.parse(window, changeType, pathPrefix);
    if (f.error() != null) {
      return Pages.bad(f.error());
    }
    try {
      if (!machines.known(computer)) {
        return Pages.notFound("no events of computer \"" + computer + "\"");
      }
    } catch (SQLException e) {
      LOG.errorf("csv query failed: node=%s %s", computer, e.getMessage());
      return Pages.failed();
    }
    EventQuery query = f.query(computer, Instant.now());
    // Streams chunk by chunk (keyset), so memory stays flat whatever the count. A failure after
    // the first byte can only cut the download short: the status is already sent.
    StreamingOutput body =
        out -> {
          Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
          w.write(Csv.header());
          Optional<PageCursor> cursor = Optional.empty();
          try {
            while (true) {
              List<StoredEvent> chunk = machines.page(query, cursor, CSV_CHUNK);
              for (StoredEvent r : chunk) {
                FimEvent e = MachinesPage.parse(r.json());
                w.write(Csv.row(e));
              }
              if (chunk.size() < CSV_CHUNK) {
                break;
              }
              cursor = Optional.of(chunk.get(chunk.size() - 1).cursor());
            }
          } catch (SQLException e) {
            LOG.errorf("csv export cut short: node=%s %s", computer, e.getMessage());
            throw new java.io.IOException("store query failed", e);
          }
          w.flush();
        };
    String file = computer.replaceAll("[^A-Za-z0-9._-]", "_") + "-changes.csv";
    return Response.ok(body, "text/csv; charset=UTF-8; header=present")
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
        .build();
  }

  static List<Option> changeTypeOptions(Optional<ChangeType> selected) {
    List<Option> out = new ArrayList<>();
    out.add(new Option("", "any", selected.isEmpty()));
    for (ChangeType t : ChangeType.values()) {
      out.add(new Option(t.name(), t.name(), selected.orElse(null) == t));
    }
    return out;
  }
}
