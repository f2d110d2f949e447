package io.kubefim.agent.config;

import io.kubefim.api.config.AgentRule;
import io.kubefim.api.glob.HostPaths;
import io.kubefim.api.glob.PathFilter;
import io.kubefim.api.glob.PathGlob;
import java.util.List;

/**
 * One {@link AgentRule} with its globs compiled: answers "does this rule select this path" and "may
 * the walk descend into this directory". Paths are absolute, normalized host paths as the policy
 * writes them. Immutable and thread-safe.
 */
final class CompiledRule {
  final AgentRule rule;
  final PathGlob glob;
  final String root;
  private final List<PathFilter> include;
  private final List<PathFilter> exclude;

  CompiledRule(AgentRule rule) {
    this.rule = rule;
    this.glob = PathGlob.compile(rule.path());
    this.root = glob.literalRoot();
    this.include =
        rule.include() == null
            ? List.of()
            : rule.include().stream().map(PathFilter::compile).toList();
    this.exclude =
        rule.exclude() == null
            ? List.of()
            : rule.exclude().stream().map(PathFilter::compile).toList();
  }

  /** True when this rule monitors {@code path}. */
  boolean selects(String path) {
    boolean ruleEntry;
    if (glob.isLiteral()) {
      ruleEntry = path.equals(root);
      if (!ruleEntry) {
        if (!HostPaths.isUnder(path, root)) {
          return false;
        }
        if (!rule.recursive() && !HostPaths.parent(path).equals(root)) {
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
      if (dir.equals(root)) {
        return true;
      }
      if (!rule.recursive() || !HostPaths.isUnder(dir, root)) {
        return false;
      }
    } else {
      if (!HostPaths.isUnder(dir, root)) {
        return false;
      }
      boolean below = glob.couldMatchBelow(dir);
      if (!below && !(rule.recursive() && (glob.matches(dir) || ancestorMatches(dir)))) {
        return false;
      }
    }
    return dir.equals(root) || !excluded(dir);
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
    while (HostPaths.isUnder(a, root)) {
      if (glob.matches(a)) {
        return true;
      }
      if (a.equals(root) || a.equals("/")) {
        return false;
      }
      a = HostPaths.parent(a);
    }
    return false;
  }
}
