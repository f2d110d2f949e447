package io.kubefim.ingest.azure.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local HTTPS fake of the Azure Monitor Logs Ingestion API and of the Entra token endpoint, that
 * checks what the real service checks: path {@code /dataCollectionRules/{ruleId}/streams/{stream}}
 * with {@code api-version=2023-01-01}, a bearer token it issued for scope {@code
 * https://monitor.azure.com//.default}, {@code Content-Encoding: gzip}, a JSON array, every
 * record's column names and types against the stream declaration of {@code
 * deploy/azure/kubefim-azure.json}, and the size limit (413). Faults can be scripted: the next n
 * uploads answer a status (429 with Retry-After, 500, 403), or lose their connection without an
 * answer; the token endpoint can refuse a client secret as Entra does, or hang. Every deviation
 * from the protocol is recorded in {@link #violations()}, so a test can assert the client behaved.
 * Thread-safe.
 */
public final class FakeLogsIngestion implements AutoCloseable {
  public static final String SCOPE = "https://monitor.azure.com//.default";
  private static final Pattern UPLOAD =
      Pattern.compile("/dataCollectionRules/([^/]+)/streams/([^/]+)");
  private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");

  private final ObjectMapper mapper = new ObjectMapper();
  private final String ruleId;
  private final String stream;
  private final Map<String, String> columns;
  private final String tenant;
  private final Path federatedTokenFile;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);

  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final List<JsonNode> records = new java.util.ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong recordCount =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean keepRecords = true;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final Deque<int[]> faults = new ArrayDeque<>();
  private volatile int maxBytes = 1024 * 1024;
  private volatile long delayMillis;
  private volatile String clientSecret;
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final Object stallLock = new Object();
  private boolean stallTokens;
  private int stalledTokenRequests;

  public FakeLogsIngestion(
      Path template, String ruleId, String stream, String tenant, Path federatedTokenFile)
      throws Exception {
    this.ruleId = ruleId;
    this.stream = stream;
    this.tenant = tenant;
    this.federatedTokenFile = federatedTokenFile;
    this.columns = streamColumns(mapper.readTree(template.toFile()), stream);
    TestTls.ensure();
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Column name → type of the stream's declaration in an ARM template. */
  public static Map<String, String> streamColumns(JsonNode template, String stream) {
    for (JsonNode r : template.get("resources")) {
      if ("Microsoft.Insights/dataCollectionRules".equals(r.path("type").asText())) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode c :
            r.path("properties").path("streamDeclarations").path(stream).path("columns")) {
          out.put(c.get("name").asText(), c.get("type").asText());
        }
        if (!out.isEmpty()) {
          return out;
        }
      }
    }
    throw new IllegalArgumentException("no stream declaration " + stream + " in the template");
  }

  public String url() {
    return "https://localhost:" + server.getAddress().getPort();
  }

  /** The next {@code times} uploads answer {@code status} (with Retry-After seconds if >= 0). */
  public synchronized void fail(int status, int retryAfterSeconds, int times) {
    for (int i = 0; i < times; i++) {
      faults.add(new int[] {status, retryAfterSeconds});
    }
  }

  public synchronized void clearFaults() {
    faults.clear();
    dropsLeft.set(0);
    stallTokens(false);
  }

  /**
   * The client secret the token endpoint takes for {@code client_id} + {@code client_secret}
   * requests; any other secret is refused as Entra refuses it (401 invalid_client, AADSTS7000215).
   */
  public void clientSecret(String secret) {
    this.clientSecret = secret;
  }

  /** The next {@code times} uploads are read, then their connection is closed without an answer. */
  public void dropConnections(int times) {
    dropsLeft.set(times);
  }

  /** Uploads whose connection was closed without an answer. */
  public int dropped() {
    return dropped.get();
  }

  /** While on, token requests hang without an answer (at most 60 s); off releases them. */
  public void stallTokens(boolean on) {
    synchronized (stallLock) {
      stallTokens = on;
      stallLock.notifyAll();
    }
  }

  /** Token requests that hung so far. */
  public int stalledTokenRequests() {
    synchronized (stallLock) {
      return stalledTokenRequests;
    }
  }

  public void maxBytes(int bytes) {
    this.maxBytes = bytes;
  }

  public void delay(long millis) {
    this.delayMillis = millis;
  }

  /** A snapshot of the records received so far (when kept). */
  public List<JsonNode> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /** Records received so far, kept or not. */
  public long recordCount() {
    return recordCount.get();
  }

  /** Benchmarks: count records but do not keep them. */
  public void keepRecords(boolean keep) {
    this.keepRecords = keep;
  }

  public List<String> violations() {
    return violations;
  }

  public int uploads() {
    return uploads.get();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  public int answered(int status) {
    AtomicInteger n = answered.get(status);
    return n == null ? 0 : n.get();
  }

  private synchronized int[] nextFault() {
    return faults.poll();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      Matcher token = TOKEN.matcher(path);
      Matcher upload = UPLOAD.matcher(path);
      if ("POST".equals(x.getRequestMethod()) && token.matches()) {
        token(x, token.group(1));
      } else if ("POST".equals(x.getRequestMethod()) && upload.matches()) {
        upload(x, upload.group(1), upload.group(2));
      } else {
        violations.add("unexpected request " + x.getRequestMethod() + " " + x.getRequestURI());
        answer(x, 404, "{\"error\":{\"code\":\"NotFound\"}}", null);
      }
    } catch (RuntimeException e) {
      violations.add("fake failed: " + e);
      answer(x, 500, "{}", null);
    }
  }

  private void token(HttpExchange x, String tenantInPath) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> form =
        form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    stallWhileAsked();
    if (form.containsKey("client_secret")) {
      if (clientSecret == null || !clientSecret.equals(form.get("client_secret"))) {
        answer(
            x,
            401,
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
                + " secret provided. Ensure the secret being sent in the request is the client"
                + " secret value, not the client secret ID, for a secret added to app '"
                + form.get("client_id")
                + "'. Trace ID: 00000000-0000-0000-0000-000000000000\",\"error_codes\":[7000215]}",
            null);
        return;
      }
    }
    String problem = null;
    if (!tenant.equals(tenantInPath)) {
      problem = "token request for tenant " + tenantInPath;
    } else if (!"client_credentials".equals(form.get("grant_type"))) {
      problem = "grant_type " + form.get("grant_type");
    } else if (form.get("scope") == null
        || !List.of(form.get("scope").split(" ")).contains(SCOPE)) {
      problem = "token scope " + form.get("scope") + ", expected " + SCOPE;
    } else if (!form.containsKey("client_secret")
        && !Files.readString(federatedTokenFile).trim().equals(form.get("client_assertion"))) {
      problem = "client_assertion is not the federated token";
    }
    if (problem != null) {
      violations.add(problem);
      answer(
          x,
          400,
          "{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}",
          null);
      return;
    }
    String issued = "fake-" + UUID.randomUUID();
    tokens.add(issued);
    answer(
        x,
        200,
        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
            + issued
            + "\"}",
        null);
  }

  private void upload(HttpExchange x, String rule, String streamName) throws IOException {
    uploads.incrementAndGet();
    byte[] raw = x.getRequestBody().readAllBytes();
    if (dropsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      dropped.incrementAndGet();
      // closing an exchange that sent no response headers closes the connection: no answer
      x.close();
      return;
    }
    if (delayMillis > 0) {
      sleep(delayMillis);
    }
    String query = x.getRequestURI().getRawQuery();
    if (query == null
        || !form(query).containsKey("api-version")
        || !"2023-01-01".equals(form(query).get("api-version"))) {
      reject(x, 400, "api-version missing or not 2023-01-01: " + query);
      return;
    }
    if (!ruleId.equals(rule) || !stream.equals(streamName)) {
      reject(x, 404, "unknown DCR or stream " + rule + "/" + streamName);
      return;
    }
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
      reject(x, 401, "no bearer token issued by the fake: " + (auth == null ? "none" : "unknown"));
      return;
    }
    int[] fault = nextFault();
    if (fault != null) {
      count(fault[0]);
      answer(
          x,
          fault[0],
          "{\"error\":{\"code\":\"Injected\",\"message\":\"injected " + fault[0] + "\"}}",
          fault[1] >= 0 ? Integer.toString(fault[1]) : null);
      return;
    }
    if (!"gzip".equalsIgnoreCase(x.getRequestHeaders().getFirst("Content-Encoding"))) {
      reject(x, 400, "Content-Encoding is not gzip");
      return;
    }
    if (raw.length > maxBytes) {
      count(413);
      answer(x, 413, "{\"error\":{\"code\":\"ContentLengthLimitExceeded\"}}", null);
      return;
    }
    byte[] body;
    try {
      body = gunzip(raw, maxBytes + 1);
    } catch (IOException e) {
      reject(x, 400, "body is not gzip: " + e.getMessage());
      return;
    }
    if (body.length > maxBytes) {
      count(413);
      answer(x, 413, "{\"error\":{\"code\":\"ContentLengthLimitExceeded\"}}", null);
      return;
    }
    JsonNode array;
    try {
      array = mapper.readTree(body);
    } catch (IOException e) {
      reject(x, 400, "body is not JSON: " + e.getMessage());
      return;
    }
    if (array == null || !array.isArray()) {
      reject(x, 400, "body is not a JSON array");
      return;
    }
    for (JsonNode record : array) {
      String problem = checkRecord(record);
      if (problem != null) {
        reject(x, 400, problem);
        return;
      }
    }
    recordCount.addAndGet(array.size());
    if (keepRecords) {
      synchronized (records) {
        array.forEach(records::add);
      }
    }
    count(204);
    x.sendResponseHeaders(204, -1);
  }

  private String checkRecord(JsonNode record) {
    if (!record.isObject()) {
      return "record is not an object";
    }
    Iterator<Map.Entry<String, JsonNode>> it = record.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String type = columns.get(f.getKey());
      if (type == null) {
        return "column " + f.getKey() + " is not in the stream declaration";
      }
      JsonNode v = f.getValue();
      if (v.isNull()) {
        continue;
      }
      boolean ok =
          switch (type) {
            case "string" -> v.isTextual();
            case "long", "int" -> v.isIntegralNumber();
            case "real" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "datetime" -> v.isTextual() && parses(v.textValue());
            case "dynamic" -> true;
            default -> false;
          };
      if (!ok) {
        return "column " + f.getKey() + " of type " + type + " got " + v;
      }
    }
    if (!record.has("TimeGenerated")) {
      return "record without TimeGenerated";
    }
    return null;
  }

  private static boolean parses(String time) {
    try {
      OffsetDateTime.parse(time);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void reject(HttpExchange x, int status, String problem) throws IOException {
    violations.add(problem);
    count(status);
    answer(
        x,
        status,
        "{\"error\":{\"code\":\"Rejected\",\"message\":\"" + problem.replace("\"", "'") + "\"}}",
        null);
  }

  private void count(int status) {
    answered.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
  }

  private static void answer(HttpExchange x, int status, String json, String retryAfter)
      throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    if (retryAfter != null) {
      x.getResponseHeaders().add("Retry-After", retryAfter);
    }
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }

  private static byte[] gunzip(byte[] raw, int limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0 && out.size() <= limit) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private void stallWhileAsked() {
    synchronized (stallLock) {
      if (!stallTokens) {
        return;
      }
      stalledTokenRequests++;
      long until = System.nanoTime() + 60_000_000_000L;
      while (stallTokens && System.nanoTime() < until) {
        try {
          stallLock.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
