package io.kubefim.operator.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts one {@link FakeConfigService} for the test run and points the operator at it. */
public class FakeConfigServiceResource implements QuarkusTestResourceLifecycleManager {
  private static volatile FakeConfigService instance;

  /** The running fake; set before Quarkus starts. */
  public static FakeConfigService fake() {
    return instance;
  }

  @Override
  public Map<String, String> start() {
    try {
      instance = new FakeConfigService();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("kubefim.operator.config-service-url", instance.url());
  }

  @Override
  public void stop() {
    if (instance != null) {
      instance.close();
    }
  }
}
