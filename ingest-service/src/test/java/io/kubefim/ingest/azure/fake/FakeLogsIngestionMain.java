package io.kubefim.ingest.azure.fake;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@link FakeLogsIngestion} standalone for bench/ingest: {@code FakeLogsIngestionMain TEMPLATE
 * DIR} writes the federated token file to DIR/sa-token and prints the base URL, then serves until
 * killed.
 */
public final class FakeLogsIngestionMain {
  private FakeLogsIngestionMain() {}

  public static void main(String[] args) throws Exception {
    Path token = Path.of(args[1], "sa-token");
    Files.createDirectories(token.getParent());
    Files.writeString(token, "bench-token");
    FakeLogsIngestion fake =
        new FakeLogsIngestion(
            Path.of(args[0]),
            FakeAzureResource.RULE_ID,
            FakeAzureResource.STREAM,
            FakeAzureResource.TENANT,
            token);
    fake.keepRecords(false);
    System.out.println(fake.url());
    System.out.flush();
    while (true) {
      Thread.sleep(5000);
      if (!fake.violations().isEmpty()) {
        System.err.println("violations: " + fake.violations());
      }
      System.err.println("records=" + fake.recordCount());
    }
  }
}
