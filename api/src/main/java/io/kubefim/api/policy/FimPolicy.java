package io.kubefim.api.policy;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-scoped file integrity policy: which host paths the agents on the selected nodes
 * baseline, watch and hash. Many policies share one agent DaemonSet (SPEC §3).
 *
 * <p>Cluster-scoped on purpose: it does not implement {@link Namespaced}.
 */
@Group(FimPolicy.GROUP)
@Version(FimPolicy.VERSION)
@Kind(FimPolicy.KIND)
@Plural(FimPolicy.PLURAL)
@Singular("fimpolicy")
@ShortNames("fimp")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".status.targetNodes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Applied",
    jsonPath = ".status.appliedNodes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class FimPolicy extends CustomResource<FimPolicySpec, FimPolicyStatus> {
  public static final String GROUP = "kubefim.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "FimPolicy";
  public static final String PLURAL = "fimpolicies";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Convenience for tests and local mode: a policy with a name and a spec. */
  public static FimPolicy of(String name, FimPolicySpec spec) {
    FimPolicy p = new FimPolicy();
    p.getMetadata().setName(name);
    p.setSpec(spec);
    return p;
  }

  @Override
  protected FimPolicySpec initSpec() {
    return new FimPolicySpec();
  }
}
