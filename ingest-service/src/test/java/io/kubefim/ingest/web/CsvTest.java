package io.kubefim.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubefim.ingest.store.PageCursor;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void quotesOnlyWhatRfc4180Requires() {
    assertThat(Csv.quote("/etc/passwd")).isEqualTo("/etc/passwd");
    assertThat(Csv.quote("a,b")).isEqualTo("\"a,b\"");
    assertThat(Csv.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.quote("a\nb")).isEqualTo("\"a\nb\"");
    assertThat(Csv.quote("a\rb")).isEqualTo("\"a\rb\"");
    assertThat(Csv.header()).startsWith("TimeGenerated,EventId,").endsWith(",Details\r\n");
  }

  @Test
  void cursorRoundTripsAndRejectsJunk() {
    PageCursor c = new PageCursor(Instant.parse("2024-05-01T10:15:30.123456Z"), 42);
    assertThat(PageCursor.parse(c.text())).contains(c);
    assertThat(PageCursor.parse("nonsense")).isEmpty();
    assertThat(PageCursor.parse("2024-05-01T10:15:30Z_x")).isEmpty();
    assertThat(Window.parse(null)).contains(Window.H24);
    assertThat(Window.parse("14d")).contains(Window.D14);
    assertThat(Window.parse("1y")).isEmpty();
  }
}
