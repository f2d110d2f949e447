package io.kubefim.ingest.azure.fake;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts {@link FakeLogsIngestion} before Quarkus and points the azure sink at it. The credential
 * is the production one, {@code DefaultAzureCredential}, fed the settings the AKS workload identity
 * webhook would inject (client id, tenant, authority host, federated token file): it fetches its
 * token from the fake's Entra endpoint over HTTPS, as it would in a cluster.
 */
public class FakeAzureResource implements QuarkusTestResourceLifecycleManager {
  public static final String RULE_ID = "dcr-00000000000000000000000000000001";
  public static final String STREAM = "Custom-KubeFimEvents";
  public static final String TENANT = "11111111-2222-3333-4444-555555555555";
  private static volatile FakeLogsIngestion fake;
  private Map<String, String> overrides = Map.of();

  public static FakeLogsIngestion fake() {
    return fake;
  }

  /** Init args of the test resource entry: kubefim.* settings that replace the ones below. */
  @Override
  public void init(Map<String, String> initArgs) {
    overrides = Map.copyOf(initArgs);
  }

  @Override
  public Map<String, String> start() {
    try {
      Path root = Path.of(System.getProperty("kubefim.test.repo-root", ".."));
      Path template = root.resolve("deploy/azure/kubefim-azure.json");
      Path tokenFile = TestTls.dir().resolve("sa-token");
      Files.createDirectories(tokenFile.getParent());
      Files.writeString(tokenFile, "projected-service-account-token-for-kubefim-ingest");
      fake = new FakeLogsIngestion(template, RULE_ID, STREAM, TENANT, tokenFile);
      Map<String, String> config =
          new java.util.HashMap<>(
              Map.ofEntries(
                  Map.entry("kubefim.ingest.sinks", "azure"),
                  Map.entry("kubefim.ingest.azure.endpoint", fake.url()),
                  Map.entry("kubefim.ingest.azure.rule-id", RULE_ID),
                  Map.entry("kubefim.ingest.azure.stream-name", STREAM),
                  Map.entry("kubefim.ingest.azure.credential", "default"),
                  Map.entry("kubefim.ingest.azure.tenant-id", TENANT),
                  Map.entry(
                      "kubefim.ingest.azure.client-id", "99999999-8888-7777-6666-555555555555"),
                  Map.entry("kubefim.ingest.azure.authority-host", fake.url() + "/"),
                  Map.entry(
                      "kubefim.ingest.azure.federated-token-file",
                      tokenFile.toAbsolutePath().toString()),
                  Map.entry("kubefim.ingest.azure.disable-instance-discovery", "true"),
                  Map.entry("kubefim.ingest.azure.max-retries", "2"),
                  Map.entry("kubefim.ingest.azure.retry-base-delay", "100ms"),
                  Map.entry("kubefim.ingest.azure.upload-timeout", "10s"),
                  Map.entry("kubefim.ingest.azure.forbidden-recheck", "2s"),
                  Map.entry("kubefim.ingest.pipeline.ack-timeout", "15s"),
                  Map.entry("kubefim.ingest.pipeline.max-in-flight-batches", "2"),
                  // a request without a permit is refused at once (the flood tests count 429s)
                  Map.entry("kubefim.ingest.pipeline.admission-wait", "0s"),
                  Map.entry(
                      "kubefim.ingest.azure-resource-id",
                      "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1"),
                  Map.entry("kubefim.ingest.cluster-name", "aks1")));
      config.putAll(overrides);
      return config;
    } catch (Exception e) {
      throw new IllegalStateException("fake Logs Ingestion API did not start", e);
    }
  }

  @Override
  public void stop() {
    if (fake != null) {
      fake.close();
    }
  }
}
