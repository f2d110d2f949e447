package io.kubefim.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;

/** Test fixtures: policies written as YAML specs, the way users write them. */
public final class Policies {
  private Policies() {}

  /** A policy named {@code name} with generation 1, a uid, and the spec {@code specYaml}. */
  public static FimPolicy policy(String name, String specYaml) {
    try {
      FimPolicy p = FimPolicy.of(name, Json.yaml().readValue(specYaml, FimPolicySpec.class));
      p.getMetadata().setGeneration(1L);
      p.getMetadata().setUid("uid-" + name);
      return p;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad test YAML: " + specYaml, e);
    }
  }
}
