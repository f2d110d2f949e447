package io.kubefim.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * TokenReview outcomes by token hash (never the token), so that a flood of requests costs at most
 * one review per distinct token per TTL, in bounded memory:
 *
 * <ul>
 *   <li>allowed decisions are kept for {@code ttl}, denied ones (401, 403) for {@code negativeTtl},
 *       in two separate maps, each bounded (the oldest entry goes first): a flood of bogus tokens
 *       fills only the denied map and never evicts an agent's cached success;
 *   <li>concurrent misses for one token share one review (single flight): the first caller reviews
 *       on its thread, the others wait for its answer;
 *   <li>a review that could not be made ({@link TokenReviewer.ReviewUnavailableException}) is not
 *       cached: every waiter gets the exception, the next request asks again.
 * </ul>
 *
 * <p>{@code T} is the outcome kept: an {@link AuthDecision} for agents, a {@link ReaderDecision}
 * for readers; {@code isAllowed} tells which map it goes to.
 *
 * <p>Memory: at most {@code maxAllowed + maxDenied} entries of about 200 bytes, plus one future per
 * review in flight (at most one per request thread). Thread-safe.
 */
final class ReviewCache<T> {
  private final Duration ttl;
  private final Duration negativeTtl;
  private final Clock clock;
  private final Predicate<T> isAllowed;
  private final Bounded<T> allowed;
  private final Bounded<T> denied;
  private final Map<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();

  ReviewCache(
      Duration ttl,
      Duration negativeTtl,
      int maxAllowed,
      int maxDenied,
      Clock clock,
      Predicate<T> isAllowed) {
    this.isAllowed = isAllowed;
    this.ttl = ttl;
    this.negativeTtl = negativeTtl;
    this.clock = clock;
    this.allowed = new Bounded<>(maxAllowed);
    this.denied = new Bounded<>(maxDenied);
  }

  /**
   * The cached decision for {@code key}, or the one {@code review} makes (cached, shared with
   * concurrent callers for the same key).
   *
   * @throws TokenReviewer.ReviewUnavailableException from {@code review}, to every waiter
   */
  T get(String key, Supplier<T> review) {
    T hit = cached(key);
    if (hit != null) {
      return hit;
    }
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> theirs = inFlight.putIfAbsent(key, mine);
    if (theirs != null) {
      return await(theirs);
    }
    try {
      T d = cached(key); // a flight that ended between the first look and ours
      if (d == null) {
        d = review.get();
        Instant now = clock.instant();
        if (isAllowed.test(d)) {
          allowed.put(key, d, now.plus(ttl));
        } else {
          denied.put(key, d, now.plus(negativeTtl));
        }
      }
      mine.complete(d);
      return d;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private T cached(String key) {
    Instant now = clock.instant();
    T d = allowed.get(key, now);
    return d != null ? d : denied.get(key, now);
  }

  private static <T> T await(CompletableFuture<T> flight) {
    try {
      return flight.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenReviewer.ReviewUnavailableException("interrupted waiting for a review", e);
    }
  }

  int allowedSize() {
    return allowed.size();
  }

  int deniedSize() {
    return denied.size();
  }

  int inFlight() {
    return inFlight.size();
  }

  /**
   * Insertion-ordered map with a fixed TTL per map, so insertion order is expiry order and the
   * eldest entry is the first to expire: evicting it when full drops the least valuable entry.
   */
  private static final class Bounded<T> {
    private final int max;
    private final LinkedHashMap<String, Entry<T>> map = new LinkedHashMap<>();

    Bounded(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("cache bound must be at least 1, got " + max);
      }
      this.max = max;
    }

    synchronized T get(String key, Instant now) {
      Entry<T> e = map.get(key);
      if (e == null) {
        return null;
      }
      if (!now.isBefore(e.expires)) {
        map.remove(key);
        return null;
      }
      return e.decision;
    }

    synchronized void put(String key, T d, Instant expires) {
      map.remove(key); // re-inserted at the young end
      map.put(key, new Entry<>(d, expires));
      while (map.size() > max) {
        map.remove(map.keySet().iterator().next());
      }
    }

    synchronized int size() {
      return map.size();
    }
  }

  private record Entry<T>(T decision, Instant expires) {}
}
