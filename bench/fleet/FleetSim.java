// Fleet simulation (issue 16): N simulated agents long-poll config-service as the real agent does
// (GET /v1/nodes/{node}/config?wait=30s with If-None-Match), then the policy file is edited and the
// time until every agent holds the new version is measured. One JVM, the JDK's async HttpClient
// (HTTP/1.1: one connection per waiting agent, as a fleet has).
// Usage: java FleetSim.java BASE_URL AGENTS POLICY_FILE
// Prints one JSON line: agents, connect (s until all had a first config), edit latency p50/p99/max.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

public class FleetSim {
  static HttpClient client;
  static String base;
  static AtomicReferenceArray<String> versions;
  static long[] gotNewAt;
  static volatile String oldVersion;
  static volatile CountDownLatch allFirst;
  static volatile CountDownLatch allNew;
  static final AtomicLong errors = new AtomicLong();

  public static void main(String[] args) throws Exception {
    base = args[0];
    int n = Integer.parseInt(args[1]);
    Path policy = Path.of(args[2]);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(Executors.newFixedThreadPool(2))
            .build();
    versions = new AtomicReferenceArray<>(n);
    gotNewAt = new long[n];
    allFirst = new CountDownLatch(n);
    allNew = new CountDownLatch(n);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      poll(i);
      if (i % 500 == 499) {
        Thread.sleep(20); // a fleet does not start in one microsecond; keeps the accept queue sane
      }
    }
    if (!allFirst.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every agent got a first config: " + allFirst.getCount());
    }
    double connect = (System.nanoTime() - t0) / 1e9;
    oldVersion = versions.get(0);
    Thread.sleep(3000); // every agent is waiting in its long poll now
    String text = Files.readString(policy);
    long edit = System.nanoTime();
    Files.writeString(policy, text.replace("bench-generation: a", "bench-generation: b"));
    if (!allNew.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every agent saw the edit: " + allNew.getCount());
    }
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      lat[i] = gotNewAt[i] - edit;
    }
    Arrays.sort(lat);
    System.out.printf(
        "{\"agents\":%d,\"connectSeconds\":%.2f,\"editP50Seconds\":%.3f,\"editP99Seconds\":%.3f,"
            + "\"editMaxSeconds\":%.3f,\"errors\":%d}%n",
        n, connect, lat[n / 2] / 1e9, lat[(int) (n * 0.99)] / 1e9, lat[n - 1] / 1e9, errors.get());
    System.exit(0);
  }

  static void poll(int i) {
    String known = versions.get(i);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/v1/nodes/sim-" + i + "/config?wait=30s"))
            .timeout(Duration.ofSeconds(60));
    if (known != null) {
      b.header("If-None-Match", "\"" + known + "\"");
    }
    client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (r, e) -> {
              if (e != null || (r.statusCode() != 200 && r.statusCode() != 304)) {
                errors.incrementAndGet();
                CompletableDelay.later(() -> poll(i)); // back off a second, as the agent does
                return;
              }
              if (r.statusCode() == 200) {
                String v = r.headers().firstValue("ETag").orElse("").replace("\"", "");
                String before = versions.getAndSet(i, v);
                if (before == null) {
                  allFirst.countDown();
                } else if (oldVersion != null && !v.equals(oldVersion) && gotNewAt[i] == 0) {
                  gotNewAt[i] = System.nanoTime();
                  allNew.countDown();
                }
              }
              poll(i);
            });
  }

  static final class CompletableDelay {
    static final java.util.concurrent.ScheduledExecutorService S =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "delay");
              t.setDaemon(true);
              return t;
            });

    static void later(Runnable r) {
      S.schedule(r, 1, TimeUnit.SECONDS);
    }
  }
}
