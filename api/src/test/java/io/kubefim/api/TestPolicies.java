package io.kubefim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;

/** Test fixtures: policies written as YAML specs, the way users write them. */
public final class TestPolicies {
  private TestPolicies() {}

  /** A policy named {@code name} whose spec is {@code specYaml}. */
  public static FimPolicy policy(String name, String specYaml) {
    try {
      return FimPolicy.of(name, Json.yaml().readValue(specYaml, FimPolicySpec.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad test YAML: " + specYaml, e);
    }
  }

  /** {@link #policy} with metadata.generation set. */
  public static FimPolicy policy(String name, long generation, String specYaml) {
    FimPolicy p = policy(name, specYaml);
    p.getMetadata().setGeneration(generation);
    return p;
  }
}
