// Load generator for ingest-service (JDK only; run as `java Load.java URL BATCHES BATCH_SIZE CONCURRENCY [PAD]`).
// Posts BATCHES JSON-array batches of BATCH_SIZE valid, unique events with CONCURRENCY clients.
// A 429/503 is counted and the batch is retried after Retry-After, like the agent; prints one JSON line.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class Load {
  public static void main(String[] a) throws Exception {
    String url = a[0];
    int batches = Integer.parseInt(a[1]);
    int size = Integer.parseInt(a[2]);
    int conc = Integer.parseInt(a[3]);
    int pad = a.length > 4 ? Integer.parseInt(a[4]) : 0;
    boolean retry = a.length <= 5 || !a[5].equals("noretry");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.valueOf(System.getProperty("http", "HTTP_2"))).build(); // -Dhttp=HTTP_1_1
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicLong accepted = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(conc);
    String padding = "p".repeat(pad);
    long start = System.nanoTime();
    for (int c = 0; c < conc; c++) {
      pool.submit(() -> {
        int b;
        while ((b = next.getAndIncrement()) < batches) {
          StringBuilder sb = new StringBuilder(size * (600 + pad)).append('[');
          for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"TimeGenerated\":\"2024-05-01T10:15:30.123Z\",\"EventId\":\"").append(UUID.randomUUID())
              .append("\",\"Computer\":\"node-").append(b % 50).append("\",\"MonitoredEntityType\":\"File\",\"ChangeType\":\"Modified\",")
              .append("\"FilePath\":\"/etc/app/").append(i).append("/config-").append(padding).append(".yaml\",\"FileName\":\"config.yaml\",\"FileType\":\"File\",")
              .append("\"FileSize\":1234,\"PreviousFileSize\":1200,\"FileSha256\":\"").append("a".repeat(64))
              .append("\",\"PreviousFileSha256\":\"").append("b".repeat(64)).append("\",\"FileMode\":\"0644\",\"FileOwner\":\"0\",\"FileGroup\":\"0\",")
              .append("\"FieldsChanged\":[\"Content\",\"Size\"],\"DetectionSource\":\"Realtime\",\"PolicyNames\":[\"linux-recommended\"],\"Tags\":{\"compliance\":\"pci-dss\"}}");
          }
          byte[] body = sb.append(']').toString().getBytes();
          while (true) {
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                  .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                  HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (r.statusCode() == 202) { accepted.addAndGet(size); break; }
              if (!retry || (r.statusCode() != 429 && r.statusCode() != 503)) break;
              Thread.sleep(Math.min(200, 1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"))));
            } catch (Exception e) {
              if (statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet() == 1) {
                System.err.println("first failed request: " + e);
              }
              break;
            }
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("{\"seconds\":%.2f,\"acceptedEvents\":%d,\"eventsPerSecond\":%.0f,\"statuses\":%s}%n",
        secs, accepted.get(), accepted.get() / secs, statuses);
  }
}
