package io.kubefim.api.compile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns policies' LabelSelectors into the terms of one required node affinity. A term is the AND of
 * its requirements, the terms are ORed. Each selector becomes one term: matchLabels {@code k: v}
 * become {@code k In [v]}, matchExpressions are carried over (values sorted, deduplicated), and the
 * selector's own {@code kubernetes.io/os} terms are replaced by {@code kubernetes.io/os In [os]}
 * for the OS of the DaemonSet (the policy was chosen because its selector admits that OS).
 * Identical terms are kept once, and a term whose requirements include all of another term's is
 * dropped (it selects a subset of that term's nodes). Terms are sorted by their sorted
 * requirements. Not thread-safe; one instance per plan.
 */
final class AffinityTerms {
  private static final Comparator<Req> REQ_ORDER =
      Comparator.comparing(Req::key)
          .thenComparing(Req::operator)
          .thenComparing(r -> String.join("\n", r.values()));
  private static final Comparator<List<Req>> TERM_ORDER = AffinityTerms::compareTerms;

  private final Set<List<Req>> terms = new TreeSet<>(TERM_ORDER);
  private final NodeOs os;

  /** Terms for the DaemonSet of nodes of {@code os}. */
  AffinityTerms(NodeOs os) {
    this.os = os;
  }

  /** Adds the term of one policy's selector (one that admits the OS); null: every node of it. */
  void add(LabelSelector selector) {
    TreeSet<Req> reqs = new TreeSet<>(REQ_ORDER);
    if (selector != null && selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getKey().equals(NodeSelection.OS_LABEL)) {
          reqs.add(new Req(e.getKey(), "In", List.of(e.getValue())));
        }
      }
    }
    if (selector != null && selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (r.getKey().equals(NodeSelection.OS_LABEL)) {
          continue;
        }
        List<String> values =
            r.getValues() == null ? List.of() : List.copyOf(new TreeSet<>(r.getValues()));
        reqs.add(new Req(r.getKey(), r.getOperator(), values));
      }
    }
    reqs.add(new Req(NodeSelection.OS_LABEL, "In", List.of(os.label())));
    terms.add(List.copyOf(reqs));
  }

  /** The required affinity for every term added, or null when none was. */
  NodeAffinity toAffinity() {
    if (terms.isEmpty()) {
      return null;
    }
    List<NodeSelectorTerm> out = new ArrayList<>();
    for (List<Req> term : terms) {
      if (terms.stream().anyMatch(other -> other != term && term.containsAll(other))) {
        continue; // a strict superset of another term's requirements: already covered
      }
      List<NodeSelectorRequirement> reqs = new ArrayList<>();
      for (Req r : term) {
        reqs.add(new NodeSelectorRequirement(r.key(), r.operator(), new ArrayList<>(r.values())));
      }
      NodeSelectorTerm t = new NodeSelectorTerm();
      t.setMatchExpressions(reqs);
      out.add(t);
    }
    NodeAffinity affinity = new NodeAffinity();
    affinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(out));
    return affinity;
  }

  private static int compareTerms(List<Req> a, List<Req> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = REQ_ORDER.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** One requirement in canonical form. */
  private record Req(String key, String operator, List<String> values) {}
}
