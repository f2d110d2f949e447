package io.kubefim.agent.config;

import io.kubefim.agent.health.Workers;
import io.kubefim.agent.remote.Backoff;
import io.kubefim.agent.remote.RateLimitedLog;
import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.config.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --config-url}: follows this node's config at config-service with a long-poll ({@code GET
 * /v1/nodes/{node}/config?wait=30s}, {@code If-None-Match} with the version it has). A 200 brings a
 * new config: it is saved ({@link SavedConfig}) and handed to the listener; a 304 polls again at
 * once; anything else (refused connection, timeout, 5xx, 401/403, 404 for a node config-service
 * does not know) backs off with jitter up to {@code capMillis} and tries again, while the agent
 * keeps monitoring with the config it has. Failures are logged at most once a minute.
 *
 * <p>Threading: one daemon thread ({@link #start}); the listener runs on it.
 */
public final class ConfigServiceClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConfigServiceClient.class.getName());
  private final URI configUri;
  private final TokenFile token;
  private final SavedConfig saved;
  private final Duration wait;
  private final Backoff backoff;
  private final HttpClient http;
  private final RateLimitedLog failures = new RateLimitedLog(LOG, 60_000);
  private final CountDownLatch first = new CountDownLatch(1);
  private volatile String known;
  private volatile AgentConfig latest;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param baseUrl config-service, e.g. {@code http://kubefim-config:8081}
   * @param wait the long-poll wait asked for (30 s in production)
   * @param backoffBaseMillis first retry delay (1 s in production)
   * @param backoffCapMillis longest retry delay (30 s in production)
   */
  public ConfigServiceClient(
      String baseUrl,
      String node,
      TokenFile token,
      SavedConfig saved,
      Duration wait,
      long backoffBaseMillis,
      long backoffCapMillis) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.configUri =
        URI.create(
            base
                + "/v1/nodes/"
                + URLEncoder.encode(node, StandardCharsets.UTF_8).replace("+", "%20")
                + "/config");
    this.token = token;
    this.saved = saved;
    this.wait = wait;
    this.backoff = new Backoff(backoffBaseMillis, backoffCapMillis);
    this.http = io.kubefim.agent.remote.Http.newClient(Duration.ofSeconds(10));
  }

  /** The config received last (or the saved one passed to {@link #start}), null before any. */
  public AgentConfig latest() {
    return latest;
  }

  /**
   * Starts following the config. {@code current} is the config the agent runs with now (the saved
   * one), null when it has none; {@code onChange} gets every config whose version differs from the
   * one before.
   */
  public void start(AgentConfig current, Consumer<AgentConfig> onChange) {
    start(current, onChange, new Workers());
  }

  /** As {@link #start(AgentConfig, Consumer)}, the thread under {@code workers}' guard. */
  public synchronized void start(
      AgentConfig current, Consumer<AgentConfig> onChange, Workers workers) {
    if (current != null) {
      latest = current;
      known = current.version();
      first.countDown();
    }
    running = true;
    thread = workers.start("kubefim-config-client", true, () -> loop(onChange));
  }

  /**
   * Waits for the first config (only needed when none was saved).
   *
   * @return the config, or null when the wait ran out
   */
  public AgentConfig awaitFirst(long timeout, TimeUnit unit) throws InterruptedException {
    return first.await(timeout, unit) ? latest : null;
  }

  private void loop(Consumer<AgentConfig> onChange) {
    while (running) {
      long delay;
      try {
        delay = pollOnce(onChange);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        delay = backoff.next();
        failures.log(
            Level.WARNING,
            "config-service unreachable, keeping config version={0} url={1} error={2} retryIn={3}ms",
            known,
            configUri,
            e.toString(),
            delay);
      }
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One request; returns how long to wait before the next one. */
  private long pollOnce(Consumer<AgentConfig> onChange) throws IOException, InterruptedException {
    String v = known;
    URI uri = v == null ? configUri : URI.create(configUri + "?wait=" + wait.toSeconds() + "s");
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri)
            .timeout(wait.plusSeconds(15))
            .header("Accept", "application/json")
            .GET();
    if (v != null) {
      req.header("If-None-Match", "\"" + v + "\"");
    }
    token.authorization().ifPresent(a -> req.header("Authorization", a));
    HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    int code = resp.statusCode();
    if (code == 304) {
      backoff.reset();
      return 0;
    }
    if (code != 200) {
      long delay = backoff.next();
      failures.log(
          Level.WARNING,
          "config-service answered status={0}, keeping config version={1} body={2} retryIn={3}ms",
          code,
          v,
          brief(resp.body()),
          delay);
      return delay;
    }
    AgentConfig config;
    try {
      config = AgentConfigParser.parse(resp.body());
    } catch (ConfigSource.InvalidConfigException e) {
      long delay = backoff.next();
      failures.log(
          Level.SEVERE,
          "config refused: {0}; keeping config version={1} retryIn={2}ms",
          e.getMessage(),
          v,
          delay);
      return delay;
    }
    backoff.reset();
    failures.reset();
    if (config.version().equals(v)) {
      return 0;
    }
    try {
      saved.save(config);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "cannot save config path={0} error={1}; applying it anyway",
          new Object[] {saved.file(), e.toString()});
    }
    LOG.log(
        Level.INFO,
        "config received version={0} rules={1} policies={2}",
        new Object[] {config.version(), config.rules().size(), config.policies().size()});
    known = config.version();
    latest = config;
    first.countDown();
    onChange.accept(config);
    return 0;
  }

  private static String brief(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8).strip();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
