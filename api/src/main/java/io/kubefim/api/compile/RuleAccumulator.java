package io.kubefim.api.compile;

import io.kubefim.api.config.AgentRule;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds the contributions of several policies to one compiled rule (same path, recursive, include,
 * exclude). Every fold is commutative and associative, so the result does not depend on the order
 * the policies come in: unions for attributes, hashes, policy names and tag values; OR for realtime
 * and attribution; max for maxFileSize; min for scanInterval and debounce (the strictest wins).
 *
 * <p>Tag values of one key are split on ',' and recombined as the sorted distinct values joined by
 * ',', so {@code {env: prod}} and {@code {env: dev,prod}} merge to {@code env: dev,prod}.
 */
final class RuleAccumulator {
  private final RuleKey key;
  private final EnumSet<Attribute> attributes = EnumSet.noneOf(Attribute.class);
  private final EnumSet<HashAlgorithm> hashes = EnumSet.noneOf(HashAlgorithm.class);
  private final TreeSet<String> policyNames = new TreeSet<>();
  private final TreeMap<String, TreeSet<String>> tags = new TreeMap<>();
  private long maxFileSize = Long.MIN_VALUE;
  private boolean realtime;
  private boolean attribution;
  private long scanIntervalSeconds = Long.MAX_VALUE;
  private long debounceMillis = Long.MAX_VALUE;

  RuleAccumulator(RuleKey key) {
    this.key = key;
  }

  /** Adds one policy's resolved settings for this rule. */
  void add(ResolvedRule r) {
    attributes.addAll(r.attributes());
    hashes.addAll(r.hashes());
    policyNames.add(r.policyName());
    for (Map.Entry<String, String> tag : r.tags().entrySet()) {
      TreeSet<String> values = tags.computeIfAbsent(tag.getKey(), k -> new TreeSet<>());
      Collections.addAll(values, tag.getValue().split(",", -1));
    }
    maxFileSize = Math.max(maxFileSize, r.maxFileSize());
    realtime |= r.realtime();
    attribution |= r.attribution();
    scanIntervalSeconds = Math.min(scanIntervalSeconds, r.scanIntervalSeconds());
    debounceMillis = Math.min(debounceMillis, r.debounceMillis());
  }

  AgentRule toRule() {
    SortedMap<String, String> mergedTags = new TreeMap<>();
    tags.forEach((k, v) -> mergedTags.put(k, String.join(",", v)));
    return new AgentRule(
        key.path(),
        key.recursive(),
        key.include(),
        key.exclude(),
        attributes,
        hashes,
        maxFileSize,
        realtime,
        scanIntervalSeconds,
        debounceMillis,
        List.copyOf(policyNames),
        mergedTags,
        attribution,
        key.registry());
  }

  /**
   * What makes two compiled rules the same selection; include/exclude sorted, distinct. {@code
   * registry}: a registry key, not a file path.
   */
  record RuleKey(
      String path, boolean recursive, List<String> include, List<String> exclude, boolean registry)
      implements Comparable<RuleKey> {
    @Override
    public int compareTo(RuleKey o) {
      int c = Boolean.compare(registry, o.registry);
      if (c == 0) {
        c = path.compareTo(o.path);
      }
      if (c == 0) {
        c = Boolean.compare(recursive, o.recursive);
      }
      if (c == 0) {
        c = compareLists(include, o.include);
      }
      return c != 0 ? c : compareLists(exclude, o.exclude);
    }

    private static int compareLists(List<String> a, List<String> b) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c = a.get(i).compareTo(b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size());
    }
  }

  /** One policy's rule path with every default resolved. */
  record ResolvedRule(
      String policyName,
      Set<Attribute> attributes,
      Set<HashAlgorithm> hashes,
      long maxFileSize,
      boolean realtime,
      long scanIntervalSeconds,
      long debounceMillis,
      Map<String, String> tags,
      boolean attribution) {}
}
