package io.kubefim.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubefim.api.policy.Attribute;
import io.kubefim.api.policy.HashAlgorithm;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One compiled rule: a single path (or glob) with every default resolved. Rules of several policies
 * with the same path and the same file selection (recursive, include, exclude) are merged into one;
 * when a file is selected by several rules the agent unites them the same way.
 *
 * @param path absolute host path or glob, as the policy wrote it but normalized: no repeated or
 *     trailing slash ({@code HostPaths.normalize})
 * @param recursive whole subtree for a directory
 * @param include globs; empty selects every file
 * @param exclude globs
 * @param attributes what counts as a change (never empty: defaults to all)
 * @param hashes digests to record (never empty: defaults to sha256)
 * @param maxFileSize bytes; larger files are metadata only
 * @param realtime watch with inotify (false: scans only)
 * @param scanIntervalSeconds full rescan cadence
 * @param debounceMillis quiet time before a burst of writes becomes one event
 * @param policyNames the policies this rule came from, sorted
 * @param tags merged tags of those policies
 * @param attribution say who made each realtime change (fanotify); any of the policies asks for it.
 *     Omitted from JSON when false, so configs without it keep their version
 * @param registry {@code path} is a Windows registry key ({@code HKEY_LOCAL_MACHINE\...}, the last
 *     name may hold {@code * ?}); include and exclude then match value names, and attributes,
 *     hashes and maxFileSize do not apply. Omitted from JSON when false (issue 15)
 *     <p>The constructor makes immutable copies in a canonical order (attributes and hashes in enum
 *     order, tags by key), also when Jackson builds the record, so that a deserialized rule
 *     serializes byte for byte as the original did and hashes to the same config version. Null
 *     collections become empty ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentRule(
    String path,
    boolean recursive,
    List<String> include,
    List<String> exclude,
    Set<Attribute> attributes,
    Set<HashAlgorithm> hashes,
    long maxFileSize,
    boolean realtime,
    long scanIntervalSeconds,
    long debounceMillis,
    List<String> policyNames,
    Map<String, String> tags,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean attribution,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean registry) {
  public AgentRule {
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    attributes = enumSet(attributes, Attribute.class);
    hashes = enumSet(hashes, HashAlgorithm.class);
    policyNames = policyNames == null ? List.of() : List.copyOf(policyNames);
    tags = tags == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  /** A file rule. */
  public AgentRule(
      String path,
      boolean recursive,
      List<String> include,
      List<String> exclude,
      Set<Attribute> attributes,
      Set<HashAlgorithm> hashes,
      long maxFileSize,
      boolean realtime,
      long scanIntervalSeconds,
      long debounceMillis,
      List<String> policyNames,
      Map<String, String> tags,
      boolean attribution) {
    this(
        path,
        recursive,
        include,
        exclude,
        attributes,
        hashes,
        maxFileSize,
        realtime,
        scanIntervalSeconds,
        debounceMillis,
        policyNames,
        tags,
        attribution,
        false);
  }

  /** A file rule without attribution. */
  public AgentRule(
      String path,
      boolean recursive,
      List<String> include,
      List<String> exclude,
      Set<Attribute> attributes,
      Set<HashAlgorithm> hashes,
      long maxFileSize,
      boolean realtime,
      long scanIntervalSeconds,
      long debounceMillis,
      List<String> policyNames,
      Map<String, String> tags) {
    this(
        path,
        recursive,
        include,
        exclude,
        attributes,
        hashes,
        maxFileSize,
        realtime,
        scanIntervalSeconds,
        debounceMillis,
        policyNames,
        tags,
        false);
  }

  private static <E extends Enum<E>> Set<E> enumSet(Set<E> values, Class<E> type) {
    EnumSet<E> copy = EnumSet.noneOf(type);
    if (values != null) {
      copy.addAll(values);
    }
    return Collections.unmodifiableSet(copy);
  }
}
