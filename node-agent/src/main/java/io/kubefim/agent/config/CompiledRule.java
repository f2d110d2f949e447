package io.kubefim.agent.config;

import io.kubefim.api.config.AgentRule;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.glob.PathFilter;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.windows.WindowsPaths;
import java.util.List;

/**
 * One file {@link AgentRule} with its globs compiled: answers "does this rule select this path" and
 * "may the walk descend into this directory". Paths are absolute, normalized host paths as the
 * policy writes them. Immutable and thread-safe.
 *
 * <p>A Windows rule ({@code C:\Windows\*.ini}, issue 15) is compiled in the agent's slash form
 * ({@link WindowsPaths#toSlashForm}: {@code /C:/Windows/*.ini}, include and exclude too), so that
 * its {@link #root} and every path the agent compares with it are {@code /}-paths like Linux ones;
 * it matches names without regard to case, as NTFS does under Windows. Registry rules are not file
 * rules and are never compiled here ({@link RuleSet#registryRules}).
 */
final class CompiledRule {
  final AgentRule rule;

  /** A Windows rule: slash-form paths, names compared without case. */
  final boolean windows;

  final PathGlob glob;
  final String root;
  private final List<PathFilter> include;
  private final List<PathFilter> exclude;

  CompiledRule(AgentRule rule) {
    this.rule = rule;
    this.windows = WindowsPaths.looksWindows(rule.path());
    this.glob = PathGlob.compile(slash(rule.path()), windows);
    this.root = glob.literalRoot();
    this.include = filters(rule.include());
    this.exclude = filters(rule.exclude());
  }

  private String slash(String pattern) {
    return windows ? WindowsPaths.toSlashForm(pattern) : pattern;
  }

  private List<PathFilter> filters(List<String> patterns) {
    return patterns == null
        ? List.of()
        : patterns.stream().map(p -> PathFilter.compile(slash(p), windows)).toList();
  }

  /** True when this rule monitors {@code path}. */
  boolean selects(String path) {
    boolean ruleEntry;
    if (glob.isLiteral()) {
      ruleEntry = same(path, root);
      if (!ruleEntry) {
        if (!under(path, root)) {
          return false;
        }
        if (!rule.recursive() && !same(HostPaths.parent(path), root)) {
          return false;
        }
      }
    } else {
      ruleEntry = glob.matches(path);
      if (!ruleEntry && !(rule.recursive() && ancestorMatches(path))) {
        return false;
      }
    }
    if (excluded(path)) {
      return false;
    }
    if (ruleEntry || include.isEmpty()) {
      return true;
    }
    for (PathFilter f : include) {
      if (f.matches(path, root)) {
        return true;
      }
    }
    return false;
  }

  /** True when the walk (and the watches) should enter directory {@code dir}. */
  boolean descends(String dir) {
    if (glob.isLiteral()) {
      if (same(dir, root)) {
        return true;
      }
      if (!rule.recursive() || !under(dir, root)) {
        return false;
      }
    } else {
      if (!under(dir, root)) {
        return false;
      }
      boolean below = glob.couldMatchBelow(dir);
      if (!below && !(rule.recursive() && (glob.matches(dir) || ancestorMatches(dir)))) {
        return false;
      }
    }
    return same(dir, root) || !excluded(dir);
  }

  /** True when {@code path} is at, below or above this rule's root. */
  boolean covers(String path) {
    return under(path, root) || under(root, path);
  }

  private boolean same(String a, String b) {
    return windows ? a.equalsIgnoreCase(b) : a.equals(b);
  }

  private boolean under(String path, String ancestor) {
    return HostPaths.isUnder(path, ancestor, windows);
  }

  private boolean excluded(String path) {
    for (PathFilter f : exclude) {
      if (f.matches(path, root)) {
        return true;
      }
    }
    return false;
  }

  private boolean ancestorMatches(String path) {
    String a = HostPaths.parent(path);
    while (under(a, root)) {
      if (glob.matches(a)) {
        return true;
      }
      if (same(a, root) || a.equals("/")) {
        return false;
      }
      a = HostPaths.parent(a);
    }
    return false;
  }
}
