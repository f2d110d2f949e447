package io.kubefim.agent.config;

import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The agent's view of an {@link AgentConfig}: which host paths are monitored, with what. A path
 * selected by several rules gets their union ({@link Selection}).
 *
 * <p>File rules only: a config's registry rules ({@link AgentRule#registry()}, Windows, issue 15)
 * are kept apart in {@link #registryRules()} for the registry monitor; nothing here walks, roots,
 * selects or schedules them. A Windows file rule is compiled in slash form ({@link CompiledRule}),
 * so {@link #roots()} and the paths the other methods take are {@code /C:/...}; {@link
 * AgentConfigParser} makes sure one config holds the file rules of one OS.
 *
 * <p>Live: the engine thread may {@link #replace} the config (hot reload); every reader (the
 * engine, the realtime monitor, the heartbeat) holds this one object and sees the new rules from
 * its next call on. Each call answers from one immutable snapshot, so it is thread-safe; two calls
 * may see two snapshots, which only matters on the engine thread, the one thread that replaces.
 */
public final class RuleSet {
  private volatile Snapshot current;

  public RuleSet(AgentConfig config) {
    this.current = new Snapshot(config);
  }

  /** Puts {@code config} in force. Engine thread only. */
  public void replace(AgentConfig config) {
    this.current = new Snapshot(config);
  }

  /**
   * A config with the rules of both (each rule once), carrying {@code next}'s version and policies:
   * what is in force while a reload moves from {@code prev} to {@code next}, so that nothing either
   * one monitors goes unwatched in between.
   */
  public static AgentConfig union(AgentConfig prev, AgentConfig next) {
    LinkedHashSet<AgentRule> rules = new LinkedHashSet<>(next.rules());
    rules.addAll(prev.rules());
    return new AgentConfig(
        next.formatVersion(), next.version(), next.node(), next.policies(), List.copyOf(rules));
  }

  /** The distinct literal roots of the file rules of {@code rules}, sorted. */
  public static List<String> rootsOf(List<AgentRule> rules) {
    TreeSet<String> r = new TreeSet<>();
    for (AgentRule rule : rules) {
      if (!rule.registry()) {
        r.add(new CompiledRule(rule).root);
      }
    }
    return List.copyOf(r);
  }

  public AgentConfig config() {
    return current.config;
  }

  /** The distinct literal roots of the rules, sorted: where every walk starts. */
  public List<String> roots() {
    return current.roots;
  }

  /** The registry rules of the config, in its order: for the registry monitor, never walked. */
  public List<AgentRule> registryRules() {
    return current.registryRules;
  }

  /** True when the file rules are Windows rules (slash-form paths, names without case). */
  public boolean windows() {
    return current.windows;
  }

  /** The policies of the rules whose literal root is {@code root}, sorted. */
  public List<String> policiesAt(String root) {
    TreeSet<String> names = new TreeSet<>();
    for (CompiledRule c : current.rules) {
      if (c.root.equals(root)) {
        names.addAll(c.rule.policyNames());
      }
    }
    return List.copyOf(names);
  }

  /** True when no file rule is left (e.g. every policy paused). */
  public boolean isEmpty() {
    return current.rules.isEmpty();
  }

  /** The merged rules selecting {@code path}, or null when no rule monitors it. */
  public Selection select(String path) {
    Snapshot s = current;
    List<AgentRule> hits = null;
    for (CompiledRule c : s.rules) {
      if (c.selects(path)) {
        if (hits == null) {
          hits = new ArrayList<>(2);
        }
        hits.add(c.rule);
      }
    }
    return hits == null ? null : merge(hits, s.windows);
  }

  /** True when a walk should enter directory {@code dir}. */
  public boolean descends(String dir) {
    for (CompiledRule c : current.rules) {
      if (c.descends(dir)) {
        return true;
      }
    }
    return false;
  }

  /** True when some rule under which {@code path} lies wants realtime watching. */
  public boolean realtimeAt(String path) {
    for (CompiledRule c : current.rules) {
      if (c.rule.realtime() && c.covers(path)) {
        return true;
      }
    }
    return false;
  }

  /** The roots of the realtime rules that ask for attribution, sorted (empty: none asks). */
  public List<String> attributionRoots() {
    TreeSet<String> r = new TreeSet<>();
    for (CompiledRule c : current.rules) {
      if (c.rule.realtime() && c.rule.attribution()) {
        r.add(c.root);
      }
    }
    return List.copyOf(r);
  }

  /** True when any rule is realtime. */
  public boolean anyRealtime() {
    return current.rules.stream().anyMatch(c -> c.rule.realtime());
  }

  /** The shortest scan interval of the rules, in seconds (6h when there are none). */
  public long scanIntervalSeconds() {
    return current.rules.stream()
        .mapToLong(c -> c.rule.scanIntervalSeconds())
        .filter(s -> s > 0)
        .min()
        .orElse(21600);
  }

  /** The shortest debounce of the rules (500 ms when there are none). */
  public long debounceMillis() {
    return current.rules.stream().mapToLong(c -> c.rule.debounceMillis()).min().orElse(500);
  }

  /** One config with its globs compiled. Immutable. */
  private static final class Snapshot {
    final AgentConfig config;
    final List<CompiledRule> rules;
    final List<String> roots;
    final List<AgentRule> registryRules;
    final boolean windows;

    Snapshot(AgentConfig config) {
      this.config = config;
      this.rules =
          config.rules().stream().filter(r -> !r.registry()).map(CompiledRule::new).toList();
      this.registryRules = config.rules().stream().filter(AgentRule::registry).toList();
      this.windows = rules.stream().anyMatch(c -> c.windows);
      TreeSet<String> r = new TreeSet<>();
      for (CompiledRule c : rules) {
        r.add(c.root);
      }
      this.roots = List.copyOf(r);
    }
  }

  private static Selection merge(List<AgentRule> hits, boolean windows) {
    if (hits.size() == 1) {
      AgentRule r = hits.get(0);
      return new Selection(
          nonEmpty(r.attributes(), Attribute.class),
          r.hashes() == null || r.hashes().isEmpty() ? Set.of(HashAlgorithm.SHA256) : r.hashes(),
          r.maxFileSize(),
          r.realtime(),
          r.debounceMillis(),
          r.policyNames() == null ? List.of() : r.policyNames(),
          r.tags() == null ? Map.of() : r.tags(),
          r.attribution(),
          windows);
    }
    EnumSet<Attribute> attrs = EnumSet.noneOf(Attribute.class);
    EnumSet<HashAlgorithm> hashes = EnumSet.noneOf(HashAlgorithm.class);
    long max = 0;
    boolean realtime = false;
    boolean attribution = false;
    long debounce = Long.MAX_VALUE;
    TreeSet<String> names = new TreeSet<>();
    Map<String, String> tags = new TreeMap<>();
    for (AgentRule r : hits) {
      attrs.addAll(nonEmpty(r.attributes(), Attribute.class));
      hashes.addAll(
          r.hashes() == null || r.hashes().isEmpty() ? Set.of(HashAlgorithm.SHA256) : r.hashes());
      max = Math.max(max, r.maxFileSize());
      realtime |= r.realtime();
      attribution |= r.attribution();
      debounce = Math.min(debounce, r.debounceMillis());
      if (r.policyNames() != null) {
        names.addAll(r.policyNames());
      }
      if (r.tags() != null) {
        tags.putAll(r.tags());
      }
    }
    return new Selection(
        Set.copyOf(attrs),
        Set.copyOf(hashes),
        max,
        realtime,
        debounce,
        List.copyOf(names),
        Map.copyOf(tags),
        attribution,
        windows);
  }

  private static <E extends Enum<E>> Set<E> nonEmpty(Set<E> s, Class<E> type) {
    return s == null || s.isEmpty() ? EnumSet.allOf(type) : s;
  }
}
