package io.kubefim.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FimEventErrorMessageTest {

  @Test
  void aShortMessageIsKeptAsItIs() {
    assertThat(new FimEvent().setErrorMessage("cannot read: /etc/x").getErrorMessage())
        .isEqualTo("cannot read: /etc/x");
    assertThat(new FimEvent().setErrorMessage(null).getErrorMessage()).isNull();
  }

  @Test
  void aMessageQuotingAPathAtItsLongestIsCutBelowWhatIngestAccepts() {
    String path = "/etc/" + "\\xff".repeat(4000); // 4000 bytes that are not UTF-8, written
    String message = "not hashed: " + path + " is a FIFO now";
    String kept = new FimEvent().setErrorMessage(message).getErrorMessage();
    assertThat(kept)
        .startsWith("not hashed: /etc/\\xff")
        .endsWith(
            "... (" + (message.length() - FimEvent.MAX_ERROR_MESSAGE_CHARS) + " characters cut)")
        .hasSizeLessThan(16384);
  }
}
