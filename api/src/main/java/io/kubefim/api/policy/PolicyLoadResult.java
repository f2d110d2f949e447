package io.kubefim.api.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link PolicyFiles} read: the policies that parsed and the problems of those that did not.
 *
 * @param loaded every FimPolicy that parsed, in file and document order (valid or not)
 * @param parseProblems documents that are not a FimPolicy at all: bad YAML, unknown fields or
 *     values, wrong kind, duplicate names; those documents are not in {@code loaded}
 */
public record PolicyLoadResult(List<LoadedPolicy> loaded, List<FileProblem> parseProblems) {
  public PolicyLoadResult {
    loaded = List.copyOf(loaded);
    parseProblems = List.copyOf(parseProblems);
  }

  /** Every parsed policy, valid or not, for the compiler (which rejects invalid ones itself). */
  public List<FimPolicy> policies() {
    return loaded.stream().map(LoadedPolicy::policy).toList();
  }

  /** The parsed policies that {@link PolicyValidator} accepts. */
  public List<FimPolicy> validPolicies() {
    return loaded.stream().map(LoadedPolicy::policy).filter(PolicyValidator::isValid).toList();
  }

  /**
   * Parse problems and the located validation problems of every parsed policy, by file and line:
   * what {@code kubefim-agent check} prints before it exits 64. Empty when every document is a
   * valid FimPolicy.
   */
  public List<FileProblem> allProblems() {
    List<FileProblem> all = new ArrayList<>(parseProblems);
    for (LoadedPolicy p : loaded) {
      for (ValidationProblem problem : PolicyValidator.validate(p.policy())) {
        all.add(p.locate(problem));
      }
    }
    all.sort(Comparator.comparing(FileProblem::source).thenComparingInt(FileProblem::line));
    return List.copyOf(all);
  }
}
