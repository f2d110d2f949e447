package io.kubefim.agent.http;

import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.FimEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's Prometheus metrics, written by hand in the text exposition format (no registry
 * library: a few counters and gauges, and a smaller footprint). Thread-safe.
 */
public final class AgentMetrics {
  private final Map<ChangeType, LongAdder> events = new EnumMap<>(ChangeType.class);
  private final LongAdder coverageGaps = new LongAdder();
  private final LongAdder scans = new LongAdder();
  private final LongAdder realtimeDuringScans = new LongAdder();
  private final AtomicLong scanNanosTotal = new AtomicLong();
  private final AtomicLong lastScanNanos = new AtomicLong();
  private volatile LongSupplier filesBaselined = () -> 0;
  private volatile LongSupplier watches = () -> 0;
  private volatile LongSupplier outboxDepth = () -> 0;
  private volatile LongSupplier outboxBytes = () -> 0;
  private volatile LongSupplier outboxDropped = () -> 0;
  private final LongAdder shipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder refused400 = new LongAdder();
  private final LongAdder refused413 = new LongAdder();

  public AgentMetrics() {
    for (ChangeType t : ChangeType.values()) {
      events.put(t, new LongAdder());
    }
  }

  public void bind(LongSupplier filesBaselined, LongSupplier watches, LongSupplier outboxDepth) {
    this.filesBaselined = filesBaselined;
    this.watches = watches;
    this.outboxDepth = outboxDepth;
  }

  /** The spool gauges: bytes in the outbox, events dropped because it was full. */
  public void bindSpool(LongSupplier outboxBytes, LongSupplier outboxDropped) {
    this.outboxBytes = outboxBytes;
    this.outboxDropped = outboxDropped;
  }

  /** Events the sink confirmed. */
  public void shipped(long n) {
    shipped.add(n);
  }

  /** Events the sink refused for good (logged with their reasons, then dropped). */
  public void deadLettered(long n) {
    deadLettered.add(n);
  }

  public long deadLettered() {
    return deadLettered.sum();
  }

  /**
   * A request refused as a whole with {@code status} (400 without ingest-service's per-event list,
   * 413): its events stay in the outbox and are sent again.
   */
  public void refusedWhole(int status) {
    (status == 413 ? refused413 : refused400).increment();
  }

  /** Requests refused as a whole with {@code status} (400 or 413) so far. */
  public long refusedWholeCount(int status) {
    return (status == 413 ? refused413 : refused400).sum();
  }

  /** Counts events once they are durable in the outbox. */
  public void recorded(List<FimEvent> batch) {
    for (FimEvent e : batch) {
      events.get(e.getChangeType()).increment();
      if (e.getChangeType() == ChangeType.CoverageGap) {
        coverageGaps.increment();
      }
    }
  }

  public void scanned(long nanos) {
    scans.increment();
    scanNanosTotal.addAndGet(nanos);
    lastScanNanos.set(nanos);
  }

  /** Realtime work reconciled inside a full scan (let in between its directories and reads). */
  public void realtimeDuringScan() {
    realtimeDuringScans.increment();
  }

  public long realtimeDuringScans() {
    return realtimeDuringScans.sum();
  }

  public long events(ChangeType t) {
    return events.get(t).sum();
  }

  /** The exposition text (content type {@code text/plain; version=0.0.4}). */
  public String scrape() {
    StringBuilder b = new StringBuilder(2048);
    gauge(
        b, "kubefim_agent_files_baselined", "Entries in the baseline.", filesBaselined.getAsLong());
    gauge(b, "kubefim_agent_watches", "inotify watches placed.", watches.getAsLong());
    gauge(
        b,
        "kubefim_agent_outbox_depth",
        "Events not yet confirmed by the sink.",
        outboxDepth.getAsLong());
    gauge(
        b,
        "kubefim_agent_outbox_bytes",
        "Bytes of event JSON in the outbox (bounded by --spool-max-bytes).",
        outboxBytes.getAsLong());
    counter(
        b,
        "kubefim_agent_outbox_dropped_total",
        "Events dropped, oldest first, because the outbox was full (each drop is a CoverageGap).",
        outboxDropped.getAsLong());
    counter(b, "kubefim_agent_events_shipped_total", "Events the sink confirmed.", shipped.sum());
    counter(
        b,
        "kubefim_agent_realtime_during_scan_total",
        "Realtime work reconciled while a full scan ran (the scan lets it in; issue 18).",
        realtimeDuringScans.sum());
    counter(
        b,
        "kubefim_agent_events_dead_lettered_total",
        "Events ingest-service refused for good (logged with reasons, dropped).",
        deadLettered.sum());
    b.append(
        "# HELP kubefim_agent_ship_refused_total Requests refused as a whole (400 without a"
            + " per-event list, 413), by status; their events stay in the outbox and are retried.\n");
    b.append("# TYPE kubefim_agent_ship_refused_total counter\n");
    b.append("kubefim_agent_ship_refused_total{status=\"400\"} ")
        .append(refused400.sum())
        .append('\n');
    b.append("kubefim_agent_ship_refused_total{status=\"413\"} ")
        .append(refused413.sum())
        .append('\n');
    b.append("# HELP kubefim_agent_events_total Events recorded, by change type.\n");
    b.append("# TYPE kubefim_agent_events_total counter\n");
    for (Map.Entry<ChangeType, LongAdder> e : events.entrySet()) {
      b.append("kubefim_agent_events_total{change_type=\"")
          .append(e.getKey().name())
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    b.append(
        "# HELP kubefim_agent_coverage_gaps_total Coverage gaps (inotify overflow, watch refused).\n");
    b.append("# TYPE kubefim_agent_coverage_gaps_total counter\n");
    b.append("kubefim_agent_coverage_gaps_total ").append(coverageGaps.sum()).append('\n');
    b.append("# HELP kubefim_agent_scan_duration_seconds Duration of full scans.\n");
    b.append("# TYPE kubefim_agent_scan_duration_seconds summary\n");
    b.append("kubefim_agent_scan_duration_seconds_count ").append(scans.sum()).append('\n');
    b.append("kubefim_agent_scan_duration_seconds_sum ")
        .append(scanNanosTotal.get() / 1e9)
        .append('\n');
    gauge(
        b,
        "kubefim_agent_last_scan_duration_seconds",
        "Duration of the last full scan.",
        lastScanNanos.get() / 1e9);
    return b.toString();
  }

  private static void counter(StringBuilder b, String name, String help, long v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    b.append(name).append(' ').append(v).append('\n');
  }

  private static void gauge(StringBuilder b, String name, String help, Number v) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(v).append('\n');
  }
}
