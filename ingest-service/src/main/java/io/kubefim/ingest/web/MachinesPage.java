package io.kubefim.ingest.web;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.auth.Access;
import io.kubefim.ingest.store.EventQuery;
import io.kubefim.ingest.store.EventStore;
import io.kubefim.ingest.store.MachineStore;
import io.kubefim.ingest.store.ReviewStore;
import io.kubefim.ingest.store.SummaryRow;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code GET /}: every machine seen, its last-seen time, policies and change counts in the window
 * (unexpected and expected apart, machines with unexpected changes first), and counts by Computer
 * and MonitoredEntityType (docs/web.md). Unauthenticated, like the other query endpoints.
 */
@Path("/")
public class MachinesPage {
  private static final Logger LOG = Logger.getLogger(MachinesPage.class);

  /** Newest events read per machine for its policy names. */
  static final int POLICY_SAMPLE = 20;

  private final EventStore events;
  private final MachineStore machines;
  private final ReviewStore reviews;
  private final Template machinesTemplate;

  @Inject
  public MachinesPage(
      EventStore events,
      MachineStore machines,
      ReviewStore reviews,
      @Location("machines") Template template) {
    this.events = events;
    this.machines = machines;
    this.reviews = reviews;
    this.machinesTemplate = template;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Access(Access.Caller.READER)
  @Blocking
  public Response page(@QueryParam("window") String windowParam) {
    if (!events.enabled()) {
      return Pages.notConfigured();
    }
    Optional<Window> window = Window.parse(windowParam);
    if (window.isEmpty()) {
      return Pages.bad("window: expected one of 24h, 7d, 14d");
    }
    try {
      Instant since = Instant.now().minus(window.get().length());
      List<SummaryRow> counts = events.summary(filter(Optional.empty(), Optional.of(since), 1));
      List<MachineRow> rows = new ArrayList<>();
      for (String computer : machines.computers()) {
        List<FimEvent> recent = parse(machines.newest(computer, POLICY_SAMPLE));
        Optional<FimEvent> applied =
            hasPolicies(recent)
                ? Optional.empty()
                : machines.newestOf(computer, ChangeType.PolicyApplied).map(MachinesPage::parse);
        long unreviewed = reviews.unreviewed(computer).count();
        rows.add(
            Machines.row(computer, Links.machine(computer), counts, recent, applied, unreviewed));
      }
      rows.sort(MachineRow.UNEXPECTED_FIRST);
      String html =
          machinesTemplate
              .data("window", window.get().param())
              .data("windows", windowOptions(window.get()))
              .data("machines", rows)
              .data("typeCounts", Machines.byEntityType(counts))
              .render();
      return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    } catch (SQLException e) {
      LOG.errorf("machines page query failed: %s", e.getMessage());
      return Pages.failed();
    }
  }

  static List<Option> windowOptions(Window selected) {
    return Arrays.stream(Window.values())
        .map(w -> new Option(w.param(), "last " + w.param(), w == selected))
        .toList();
  }

  private static boolean hasPolicies(List<FimEvent> recent) {
    return recent.stream()
        .anyMatch(e -> e.getPolicyNames() != null && !e.getPolicyNames().isEmpty());
  }

  private static EventQuery filter(Optional<String> computer, Optional<Instant> since, int limit) {
    return new EventQuery(
        computer, Optional.empty(), Optional.empty(), Optional.empty(), since, limit);
  }

  static List<FimEvent> parse(List<String> json) {
    List<FimEvent> out = new ArrayList<>(json.size());
    for (String j : json) {
      out.add(parse(j));
    }
    return out;
  }

  static FimEvent parse(String json) {
    try {
      return Json.mapper().readValue(json, FimEvent.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
