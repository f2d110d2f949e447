package io.kubefim.ingest.receive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A few of {@link BatchFuzzProperties}' mutated bodies posted to the real {@code POST /v1/events}:
 * the answer is a 4xx with a reason (or a 202 when the mutation left the batch valid), never a 5xx.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MutatedBodiesIT {
  static LongStream seeds() {
    return LongStream.range(0, 40).map(i -> 0xB0D1_0000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aMutatedBodyIsAnsweredWithoutA5xx(long seed) {
    BatchFuzzProperties.Input in = BatchFuzzProperties.BatchMutator.input(new Random(seed));
    var req =
        given()
            .contentType(
                in.format() == BatchFormat.JSON_ARRAY
                    ? "application/json"
                    : "application/x-ndjson");
    if (in.gzip()) {
      req.header("Content-Encoding", "gzip");
    }
    Response r = req.body(in.bytes()).post("/v1/events");
    int status = r.statusCode();
    assertThat(status).as("seed %d (%s): %s", seed, in, r.asString()).isBetween(202, 499);
    if (status >= 400) {
      assertThat(r.asString())
          .as("seed %d: a refusal says why", seed)
          .containsAnyOf("\"error\"", "\"rejected\"");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void stillReadyAfterAllOfThem() {
    given().get("/q/health/ready").then().statusCode(200);
  }
}
