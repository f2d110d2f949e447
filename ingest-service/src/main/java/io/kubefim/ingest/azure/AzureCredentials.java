package io.kubefim.ingest.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.Configuration;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import io.kubefim.ingest.IngestConfig;

/**
 * Builds the token credential the Logs Ingestion client uses, from configuration. {@code default}
 * is {@code DefaultAzureCredential}: on AKS with workload identity the webhook sets
 * AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST, which it
 * reads; the kubefim.ingest.azure.* settings, when given, take their place. Secrets are never
 * logged.
 */
final class AzureCredentials {
  private AzureCredentials() {}

  static TokenCredential build(IngestConfig.Azure azure) {
    return switch (azure.credential()) {
      case "default" -> defaultCredential(azure);
      case "client-secret" -> clientSecret(azure);
      case "managed-identity" -> {
        ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
        azure.clientId().ifPresent(b::clientId);
        yield b.build();
      }
      default ->
          throw new IllegalArgumentException(
              "kubefim.ingest.azure.credential="
                  + azure.credential()
                  + ": expected default, client-secret or managed-identity");
    };
  }

  @SuppressWarnings("deprecation") // Configuration.put is the documented way to override env vars
  private static TokenCredential defaultCredential(IngestConfig.Azure azure) {
    Configuration env = Configuration.getGlobalConfiguration().clone();
    azure.clientId().ifPresent(id -> env.put(Configuration.PROPERTY_AZURE_CLIENT_ID, id));
    azure.tenantId().ifPresent(id -> env.put(Configuration.PROPERTY_AZURE_TENANT_ID, id));
    azure.authorityHost().ifPresent(h -> env.put(Configuration.PROPERTY_AZURE_AUTHORITY_HOST, h));
    azure.federatedTokenFile().ifPresent(f -> env.put("AZURE_FEDERATED_TOKEN_FILE", f));
    DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder().configuration(env);
    azure.tenantId().ifPresent(b::tenantId);
    azure.authorityHost().ifPresent(b::authorityHost);
    azure
        .clientId()
        .ifPresent(
            id -> {
              b.workloadIdentityClientId(id);
              b.managedIdentityClientId(id);
            });
    if (azure.disableInstanceDiscovery()) {
      b.disableInstanceDiscovery();
    }
    return b.build();
  }

  private static TokenCredential clientSecret(IngestConfig.Azure azure) {
    ClientSecretCredentialBuilder b =
        new ClientSecretCredentialBuilder()
            .tenantId(required(azure.tenantId().orElse(null), "tenant-id"))
            .clientId(required(azure.clientId().orElse(null), "client-id"))
            .clientSecret(required(azure.clientSecret().orElse(null), "client-secret"));
    azure.authorityHost().ifPresent(b::authorityHost);
    if (azure.disableInstanceDiscovery()) {
      b.disableInstanceDiscovery();
    }
    return b.build();
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "kubefim.ingest.azure." + name + " is required for credential=client-secret");
    }
    return value;
  }
}
