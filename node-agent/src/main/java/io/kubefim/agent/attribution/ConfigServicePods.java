package io.kubefim.agent.attribution;

import io.kubefim.agent.remote.TokenFile;
import io.kubefim.api.json.Json;
import io.kubefim.api.pods.PodIdentity;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pod names from config-service ({@code GET /v1/nodes/{node}/pods/{uid}}, the agent's token): one
 * asynchronous lookup per pod uid, started when the fanotify reader first sees a writer in that
 * pod, so that the name is known by the time the debounced event is made. A pod found is kept
 * (bounded); a miss is asked again after {@link #RETRY_MILLIS}, as the pod may be new. Thread-safe.
 */
public final class ConfigServicePods implements PodDirectory {
  static final long RETRY_MILLIS = 10_000;
  private static final long WAIT_MILLIS = 300;
  private static final int MAX_PODS = 1024;
  private static final Logger LOG = Logger.getLogger(ConfigServicePods.class.getName());

  private record Lookup(CompletableFuture<PodIdentity> pod, long at) {}

  private final String base;
  private final TokenFile token;
  private final HttpClient http;
  private final LongSupplier clock;
  private final Map<String, Lookup> lookups =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lookup> e) {
          return size() > MAX_PODS;
        }
      };

  public ConfigServicePods(String configUrl, String node, TokenFile token) {
    this(configUrl, node, token, System::currentTimeMillis);
  }

  ConfigServicePods(String configUrl, String node, TokenFile token, LongSupplier clock) {
    String b = configUrl.endsWith("/") ? configUrl.substring(0, configUrl.length() - 1) : configUrl;
    this.base =
        b + "/v1/nodes/" + URLEncoder.encode(node, StandardCharsets.UTF_8).replace("+", "%20");
    this.token = token;
    this.clock = clock;
    this.http = io.kubefim.agent.remote.Http.newClient(Duration.ofSeconds(5));
  }

  @Override
  public void prefetch(String podUid, String containerId) {
    lookup(podUid, containerId);
  }

  @Override
  public PodIdentity pod(String podUid, String containerId) {
    try {
      return lookup(podUid, containerId).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null; // not yet, or not found: the event says PodUid only
    }
  }

  private synchronized CompletableFuture<PodIdentity> lookup(String uid, String containerId) {
    long now = clock.getAsLong();
    Lookup l = lookups.get(uid);
    if (l != null) {
      PodIdentity known = l.pod.isDone() ? l.pod.getNow(null) : null;
      boolean missed =
          l.pod.isDone()
              && (known == null
                  || (containerId != null && known.containerName(containerId).isEmpty()));
      if (!missed || now - l.at < RETRY_MILLIS) {
        return l.pod;
      }
    }
    String query =
        containerId == null
            ? ""
            : "?containerId=" + URLEncoder.encode(containerId, StandardCharsets.UTF_8);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(
                URI.create(
                    base + "/pods/" + URLEncoder.encode(uid, StandardCharsets.UTF_8) + query))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json")
            .GET();
    token.authorization().ifPresent(a -> req.header("Authorization", a));
    CompletableFuture<PodIdentity> f =
        http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
            .thenApply(r -> r.statusCode() == 200 ? parse(r.body()) : null)
            .exceptionally(
                e -> {
                  LOG.log(Level.FINE, "pod lookup failed uid={0} error={1}", new Object[] {uid, e});
                  return null;
                });
    lookups.put(uid, new Lookup(f, now));
    return f;
  }

  /** A PodIdentity document; null when it is not one of this format. */
  static PodIdentity parse(String body) {
    try {
      PodIdentity p = Json.mapper().readValue(body, PodIdentity.class);
      return p.formatVersion() == PodIdentity.FORMAT_VERSION && p.name() != null ? p : null;
    } catch (Exception e) {
      return null;
    }
  }
}
