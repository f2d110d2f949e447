package io.kubefim.ingest.azure;

import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Sinks = azure only, against the HTTPS fake. */
public class AzureProfile implements QuarkusTestProfile {
  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(FakeAzureResource.class));
  }
}
