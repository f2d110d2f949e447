package io.kubefim.ingest.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadChunkerTest {
  @Test
  void chunksStayUnderTheLimitCountingBracketsAndCommas() {
    List<Integer> sizes = Collections.nCopies(10, 100);
    List<List<Integer>> chunks = UploadChunker.chunks(sizes, s -> s, 2 + 3 * 100 + 2);
    assertThat(chunks).hasSize(4);
    assertThat(chunks.get(0)).hasSize(3);
    assertThat(chunks.get(3)).hasSize(1);
    assertThat(chunks.stream().mapToInt(List::size).sum()).isEqualTo(10);
  }

  @Test
  void oversizedRecordGoesAlone() {
    List<List<Integer>> chunks = UploadChunker.chunks(List.of(10, 5000, 10), s -> s, 100);
    assertThat(chunks).containsExactly(List.of(10), List.of(5000), List.of(10));
  }

  @Test
  void halvesKeepOrder() {
    assertThat(UploadChunker.halves(List.of(1, 2, 3, 4, 5)))
        .containsExactly(List.of(1, 2), List.of(3, 4, 5));
  }

  @Test
  void retryAfterSecondsAndDates() {
    assertThat(RetryAfter.parse("7")).contains(java.time.Duration.ofSeconds(7));
    assertThat(RetryAfter.parse("soon")).isEmpty();
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).contains(java.time.Duration.ZERO);
  }
}
