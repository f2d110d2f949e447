package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The observed state of a {@link FimPolicy}, owned by the operator alone (SPEC §2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FimPolicyStatus {
  /** The bound on {@link #getNodeErrors()}. */
  public static final int MAX_NODE_ERRORS = 20;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Accepted: the policy is valid. Ready: every target node runs this generation.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Nodes the policy selects.")
  private Integer targetNodes;

  @JsonPropertyDescription("Nodes whose agent runs this generation of the policy.")
  private Integer appliedNodes;

  @JsonPropertyDescription("Nodes whose agent runs this generation and is healthy.")
  private Integer readyNodes;

  @Size(max = MAX_NODE_ERRORS)
  @JsonPropertyDescription("Per-node problems, at most 20.")
  private List<NodeError> nodeErrors = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getTargetNodes() {
    return targetNodes;
  }

  public void setTargetNodes(Integer targetNodes) {
    this.targetNodes = targetNodes;
  }

  public Integer getAppliedNodes() {
    return appliedNodes;
  }

  public void setAppliedNodes(Integer appliedNodes) {
    this.appliedNodes = appliedNodes;
  }

  public Integer getReadyNodes() {
    return readyNodes;
  }

  public void setReadyNodes(Integer readyNodes) {
    this.readyNodes = readyNodes;
  }

  public List<NodeError> getNodeErrors() {
    return nodeErrors;
  }

  public void setNodeErrors(List<NodeError> nodeErrors) {
    this.nodeErrors = nodeErrors;
  }
}
