package io.kubefim.ingest.azure;

import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A fresh application (no token cached yet) whose sink deadline ({@code upload-timeout} 3s) is well
 * under the HTTP wait ({@code ack-timeout} 20s), so a 503 tells which of the two ended it.
 */
public class AzureTokenStallProfile implements QuarkusTestProfile {
  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(
            FakeAzureResource.class,
            Map.of(
                "kubefim.ingest.azure.upload-timeout", "3s",
                "kubefim.ingest.pipeline.ack-timeout", "20s")));
  }
}
