package io.kubefim.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kubefim.api.json.Json;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.FimPolicySpec;

/** Test fixtures: policies written as YAML specs, the way users write them. */
public final class Policies {
  private Policies() {}

  /** A Windows policy: Windows nodes, one file rule and one registry rule. */
  public static final String WINDOWS_SPEC =
      """
      nodeSelector: {matchLabels: {kubernetes.io/os: windows}}
      rules:
        - paths: ['C:\\Windows\\System32\\userinit.exe']
        - registry: ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run']
      """;

  /** One policy for Linux and Windows nodes: a selector admitting both, rules of both kinds. */
  public static final String LINUX_AND_WINDOWS_SPEC =
      """
      nodeSelector:
        matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux, windows]}]
      rules:
        - paths: [/etc/passwd]
        - paths: ['C:\\Windows\\win.ini']
      """;

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
