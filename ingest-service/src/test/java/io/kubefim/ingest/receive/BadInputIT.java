package io.kubefim.ingest.receive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed batches ({@code src/test/resources/bad-input/cases.tsv} plus generated ones
 * too big for files): each gets the right status and a reason naming the problem, and the service
 * stays healthy and keeps taking good batches.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

  record Case(String file, String contentType, int status, String reason) {
    @Override
    public String toString() {
      return file + " " + contentType + " → " + status + " " + reason;
    }
  }

  static Stream<Case> corpus() throws IOException {
    try (InputStream in = BadInputIT.class.getResourceAsStream("/bad-input/cases.tsv")) {
      List<Case> cases = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        cases.add(new Case(f[0], f[1], Integer.parseInt(f[2]), f[3]));
      }
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusCase(Case c) throws IOException {
    byte[] body;
    try (InputStream in = BadInputIT.class.getResourceAsStream("/bad-input/" + c.file())) {
      body = in.readAllBytes();
    }
    Response r = given().contentType(c.contentType()).body(body).post("/v1/events");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(c.status());
    assertThat(r.asString()).contains(c.reason());
  }

  @Test
  void emptyBody() {
    given()
        .contentType("application/json")
        .body(new byte[0])
        .post("/v1/events")
        .then()
        .statusCode(400)
        .body("error", containsString("empty body"));
  }

  @Test
  void missingContentTypeAndUnknownEncoding() {
    given()
        .body("[]".getBytes(StandardCharsets.UTF_8))
        .post("/v1/events")
        .then()
        .statusCode(415)
        .body("error", containsString("Content-Type"));
    given()
        .contentType("application/json")
        .header("Content-Encoding", "br")
        .body("[]")
        .post("/v1/events")
        .then()
        .statusCode(415)
        .body("error", containsString("Content-Encoding"));
  }

  @Test
  void brokenGzip() {
    given()
        .contentType("application/json")
        .header("Content-Encoding", "gzip")
        .body("[{}]")
        .post("/v1/events")
        .then()
        .statusCode(400)
        .body("error", containsString("gzip"));
  }

  @Test
  void hugeFieldIsRefusedWithItsLength() {
    ObjectNode e = TestEvents.file("n1", "/etc/" + "x".repeat(20_000));
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(e)))
        .post("/v1/events")
        .then()
        .statusCode(400)
        .body("rejected[0].reasons[0]", containsString("more than 16384"));
  }

  /**
   * The agent renders a byte that is not UTF-8 as {@code \xNN}, four characters: a path at the
   * kernel's 4096-byte limit made of such bytes must be stored whole, or an intruder could name a
   * file so that its change is refused and dead-lettered.
   */
  @Test
  void aPathOfEscapedBytesAtPathMaxIsStoredWhole() {
    String path = "/etc/" + "\\xff".repeat(4000);
    ObjectNode e = TestEvents.file("n-escaped", path);
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(e)))
        .post("/v1/events")
        .then()
        .statusCode(202);
    given()
        .queryParam("computer", "n-escaped")
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body("[0].FilePath", equalTo(path));
  }

  @Test
  void tooLargeBodiesAndGzipBombsAre413() {
    String big = "[" + "\"" + "x".repeat(5 * 1024 * 1024) + "\"]";
    given()
        .contentType("application/json")
        .body(big)
        .post("/v1/events")
        .then()
        .statusCode(413)
        .body("error", containsString("larger than"));
    byte[] bomb = TestEvents.gzip(" ".repeat(64 * 1024 * 1024));
    assertThat(bomb.length).isLessThan(1024 * 1024);
    given()
        .contentType("application/json")
        .header("Content-Encoding", "gzip")
        .body(bomb)
        .post("/v1/events")
        .then()
        .statusCode(413)
        .body("error", containsString("after gunzip"));
  }

  @Test
  void tooManyEventsIs413() {
    String many = "[" + String.join(",", java.util.Collections.nCopies(5001, "{}")) + "]";
    given()
        .contentType("application/json")
        .body(many)
        .post("/v1/events")
        .then()
        .statusCode(413)
        .body("error", containsString("more than 5000 events"));
  }

  @Test
  void ndjsonKeepsTheGoodLinesAndNamesTheBadOnes() {
    ObjectNode good = TestEvents.file("n-mixed", "/etc/good");
    ObjectNode bad = TestEvents.file("n-mixed", "relative");
    String body = good + "\n{broken\n" + bad + "\n";
    given()
        .contentType("application/x-ndjson")
        .body(body.getBytes(StandardCharsets.UTF_8))
        .post("/v1/events")
        .then()
        .statusCode(400)
        .body("accepted", equalTo(1))
        .body("rejectedCount", equalTo(2))
        .body("rejected[0].index", equalTo(1))
        .body("rejected[0].reasons[0]", containsString("line 2: not valid JSON"))
        .body("rejected[1].eventId", equalTo(bad.get("EventId").asText()))
        .body("rejected[1].reasons[0]", containsString("FilePath: not an absolute path"));
    given()
        .queryParam("computer", "n-mixed")
        .get("/v1/events")
        .then()
        .body("[0].EventId", equalTo(good.get("EventId").asText()));
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void stillHealthyAndWorkingAfterAllOfThem() {
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .contentType("application/json")
        .body(TestEvents.array(List.of(TestEvents.file("n-after", "/etc/after"))))
        .post("/v1/events")
        .then()
        .statusCode(202);
  }
}
