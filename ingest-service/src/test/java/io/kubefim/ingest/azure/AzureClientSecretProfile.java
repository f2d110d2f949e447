package io.kubefim.ingest.azure;

import io.kubefim.ingest.azure.fake.FakeAzureResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The azure sink with {@code credential=client-secret} against the fake's token endpoint (authority
 * host = the fake, HTTPS), and a {@code forbidden-recheck} longer than any test: readiness can only
 * come back UP through a successful upload.
 */
public class AzureClientSecretProfile implements QuarkusTestProfile {
  public static final String SECRET = "kubefim-test-Secret~7Qx9vZ";

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(
        new TestResourceEntry(
            FakeAzureResource.class,
            Map.of(
                "kubefim.ingest.azure.credential", "client-secret",
                "kubefim.ingest.azure.client-secret", SECRET,
                "kubefim.ingest.azure.forbidden-recheck", "10m")));
  }
}
