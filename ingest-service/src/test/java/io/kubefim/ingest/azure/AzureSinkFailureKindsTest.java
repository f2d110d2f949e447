package io.kubefim.ingest.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How the sink tells a credential failure and a lost connection from other errors. */
class AzureSinkFailureKindsTest {
  @Test
  void aCredentialFailureIsFoundUnderPlainWrappersWithItsOwnWords() {
    RuntimeException wrapped =
        new RuntimeException(
            new ExecutionException(
                new ClientAuthenticationException(
                    "AADSTS7000215: Invalid client secret provided.", null)));
    assertThat(AzureSink.credentialFailure(wrapped))
        .isEqualTo("AADSTS7000215: Invalid client secret provided.");
    assertThat(AzureSink.connectionFailure(wrapped)).isFalse();
  }

  @Test
  void aLostConnectionIsNotACredentialFailure() {
    RuntimeException dropped =
        new RuntimeException(new IOException("Connection prematurely closed BEFORE response"));
    assertThat(AzureSink.credentialFailure(dropped)).isNull();
    assertThat(AzureSink.connectionFailure(dropped)).isTrue();
    assertThat(AzureSink.connectionFailure(new RuntimeException(new TimeoutException("read"))))
        .isTrue();
    assertThat(AzureSink.connectionFailure(new IllegalStateException("bug"))).isFalse();
  }
}
