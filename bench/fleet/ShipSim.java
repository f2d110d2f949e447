// Fleet shipping simulation (issue 16): N simulated agents each record RATE events a second and
// ship them to one ingest-service as the real agent's outbox drainer does: everything pending (at
// most 500 events) in one gzipped JSON batch as soon as the previous one was answered; 202 removes
// them from the outbox; 429/503 keep them and wait the Retry-After the service named (honoured:
// the next attempt of that agent never comes sooner); a failed connection backs off 1 s..60 s.
// After SECONDS of load the agents stop recording and drain for at most DRAIN_SECONDS; then every
// recorded event must have been acknowledged (nothing left in any outbox).
// One JVM, the JDK's async HttpClient, HTTP/1.1 (one connection per agent in flight, as a fleet).
// Usage: java ShipSim.java EVENTS_URL AGENTS RATE SECONDS DRAIN_SECONDS
// Prints one JSON line: recorded, acknowledged, left in outboxes, answers by status, how long an
// event waited from being recorded to its 202 (p50/p99/max), the largest outbox, batches sent.
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

public class ShipSim {
  static final int MAX_BATCH = 500; // the agent's OutboxDrainer.Limits.DEFAULT
  static HttpClient client;
  static URI url;
  static ScheduledExecutorService timer;
  static final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  static final AtomicLong recorded = new AtomicLong();
  static final AtomicLong acknowledged = new AtomicLong();
  static final AtomicLong batches = new AtomicLong();
  static final AtomicLong earlyRetries = new AtomicLong();
  static final AtomicLong maxOutbox = new AtomicLong();
  static volatile boolean recording = true;

  /** One simulated node: its outbox and whether a batch is on the way. */
  static final class Agent {
    final int id;
    final String node;
    final ArrayDeque<long[]> outbox = new ArrayDeque<>(); // {recordedAtNanos, seq}
    long seq;
    boolean inFlight;
    long notBefore; // nanoTime: the Retry-After the service named
    long waits; // which wait a timer belongs to: a late timer of an older wait is ignored
    long backoffMs = 1000;
    final List<Long> waited = new ArrayList<>();

    Agent(int id) {
      this.id = id;
      this.node = "ship-" + id;
    }
  }

  public static void main(String[] a) throws Exception {
    url = URI.create(a[0]);
    int n = Integer.parseInt(a[1]);
    double rate = Double.parseDouble(a[2]);
    int seconds = Integer.parseInt(a[3]);
    int drain = Integer.parseInt(a[4]);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(Executors.newFixedThreadPool(2))
            .build();
    timer = Executors.newScheduledThreadPool(1);
    Agent[] agents = new Agent[n];
    long periodMicros = (long) (1_000_000 / rate);
    for (int i = 0; i < n; i++) {
      Agent ag = agents[i] = new Agent(i);
      // staggered over the first period: a fleet's clocks do not tick together
      timer.scheduleAtFixedRate(
          () -> record(ag), (periodMicros * i) / n, periodMicros, TimeUnit.MICROSECONDS);
    }
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    recording = false;
    long drainStart = System.nanoTime();
    long left = 0;
    while (System.nanoTime() - drainStart < drain * 1_000_000_000L) {
      left = 0;
      for (Agent ag : agents) {
        synchronized (ag) {
          left += ag.outbox.size();
        }
      }
      if (left == 0) {
        break;
      }
      Thread.sleep(200);
    }
    double drained = (System.nanoTime() - drainStart) / 1e9;
    List<Long> all = new ArrayList<>();
    for (Agent ag : agents) {
      synchronized (ag) {
        all.addAll(ag.waited);
      }
    }
    all.sort(null);
    long p50 = all.isEmpty() ? -1 : all.get(all.size() / 2);
    long p99 = all.isEmpty() ? -1 : all.get((int) (all.size() * 0.99));
    long max = all.isEmpty() ? -1 : all.get(all.size() - 1);
    System.out.printf(
        "{\"agents\":%d,\"eventsPerAgentPerSecond\":%.2f,\"loadSeconds\":%d,\"recorded\":%d,"
            + "\"acknowledged\":%d,\"leftInOutboxes\":%d,\"drainSeconds\":%.1f,\"batches\":%d,"
            + "\"statuses\":%s,\"retriesBeforeRetryAfter\":%d,\"largestOutbox\":%d,"
            + "\"waitP50Ms\":%d,\"waitP99Ms\":%d,\"waitMaxMs\":%d,\"acknowledgedPerSecond\":%.0f}%n",
        n, rate, seconds, recorded.get(), acknowledged.get(), left, drained, batches.get(),
        statuses, earlyRetries.get(), maxOutbox.get(), p50, p99, max,
        acknowledged.get() / ((System.nanoTime() - t0) / 1e9));
    System.exit(0);
  }

  static void record(Agent ag) {
    if (!recording) {
      return;
    }
    synchronized (ag) {
      ag.outbox.addLast(new long[] {System.nanoTime(), ag.seq++});
      recorded.incrementAndGet();
      maxOutbox.accumulateAndGet(ag.outbox.size(), Math::max);
    }
    ship(ag);
  }

  static void ship(Agent ag) {
    List<long[]> batch;
    synchronized (ag) {
      long now = System.nanoTime();
      if (ag.inFlight || ag.outbox.isEmpty()) {
        return;
      }
      if (now < ag.notBefore) {
        return; // a timer ships when the wait is over
      }
      ag.inFlight = true;
      batch = new ArrayList<>(Math.min(ag.outbox.size(), MAX_BATCH));
      for (long[] e : ag.outbox) {
        if (batch.size() == MAX_BATCH) {
          break;
        }
        batch.add(e);
      }
    }
    batches.incrementAndGet();
    HttpRequest req =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(ag, batch)))
            .build();
    client
        .sendAsync(req, HttpResponse.BodyHandlers.discarding())
        .whenComplete((r, e) -> answered(ag, batch, r, e));
  }

  static void answered(Agent ag, List<long[]> batch, HttpResponse<Void> r, Throwable e) {
    int status = e != null ? -1 : r.statusCode();
    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
    long delayMs = 0;
    long wait;
    synchronized (ag) {
      ag.inFlight = false;
      long now = System.nanoTime();
      if (status == 202) {
        for (int i = 0; i < batch.size(); i++) {
          long[] done = ag.outbox.pollFirst();
          ag.waited.add((now - done[0]) / 1_000_000);
        }
        acknowledged.addAndGet(batch.size());
        ag.backoffMs = 1000;
      } else if (status == 429 || status == 503) {
        long after = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        delayMs = after * 1000;
        ag.notBefore = now + delayMs * 1_000_000;
      } else {
        delayMs = ag.backoffMs; // a connection failure or an unexpected answer: back off
        ag.backoffMs = Math.min(60_000, ag.backoffMs * 2);
        ag.notBefore = now + delayMs * 1_000_000;
      }
      wait = delayMs > 0 ? ++ag.waits : ag.waits;
    }
    if (delayMs > 0) {
      timer.schedule(() -> shipAfterWait(ag, wait), delayMs, TimeUnit.MILLISECONDS);
    } else {
      ship(ag);
    }
  }

  static void shipAfterWait(Agent ag, long wait) {
    synchronized (ag) {
      if (wait != ag.waits) {
        return; // the wait was over before this timer ran, and the agent shipped and waits again
      }
      if (System.nanoTime() < ag.notBefore) {
        earlyRetries.incrementAndGet(); // must stay 0: the timer fired before the wait was over
      }
      ag.notBefore = 0;
    }
    ship(ag);
  }

  static byte[] body(Agent ag, List<long[]> batch) {
    StringBuilder sb = new StringBuilder(batch.size() * 600).append('[');
    for (long[] e : batch) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      // a stable EventId per (node, seq): a resent event is the same event (deduplicated)
      String id = UUID.nameUUIDFromBytes((ag.node + "/" + e[1]).getBytes()).toString();
      sb.append("{\"TimeGenerated\":\"")
          .append(java.time.Instant.now())
          .append("\",\"EventId\":\"")
          .append(id)
          .append("\",\"Computer\":\"")
          .append(ag.node)
          .append("\",\"MonitoredEntityType\":\"File\",\"ChangeType\":\"Modified\",")
          .append("\"FilePath\":\"/etc/app/config-")
          .append(e[1] % 100)
          .append(".yaml\",\"FileName\":\"config.yaml\",\"FileType\":\"File\",\"FileSize\":1234,")
          .append("\"FileSha256\":\"")
          .append("a".repeat(64))
          .append("\",\"FileMode\":\"0644\",\"FileOwner\":\"0\",\"FileGroup\":\"0\",")
          .append("\"FieldsChanged\":[\"Content\"],\"DetectionSource\":\"Realtime\",")
          .append("\"PolicyNames\":[\"linux-recommended\"]}");
    }
    byte[] json = sb.append(']').toString().getBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json);
    } catch (java.io.IOException ex) {
      throw new IllegalStateException(ex);
    }
    return out.toByteArray();
  }
}
