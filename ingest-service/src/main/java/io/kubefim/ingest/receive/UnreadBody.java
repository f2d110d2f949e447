package io.kubefim.ingest.receive;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to the rest of a request body the service answered without reading (401, 415, 429,
 * 413). Left alone, the framework keeps taking it in and queues every chunk in memory until the
 * client has sent it all: a flood of large refused batches, or of batches without a token, then
 * fills the heap although nothing was admitted. So, once the answer is out, the rest is read and
 * dropped chunk by chunk (the connection stays usable; the client gets its answer).
 *
 * <p>Not a reset of the HTTP/2 stream (RST_STREAM NO_ERROR, which RFC 9113 §8.1 allows after a
 * complete answer): Netty answers the client's next DATA frames on the reset stream with GOAWAY,
 * which fails every other request on the connection (the JDK's client puts all of them on one).
 */
final class UnreadBody {
  private UnreadBody() {}

  /** Arranges for the unread rest of this request's body to be refused after the answer. */
  static void dropAfterAnswer(RoutingContext routing) {
    if (routing == null) {
      return; // not over HTTP (a unit test)
    }
    HttpServerRequest request = routing.request();
    routing.addEndHandler(
        done -> {
          if (request.isEnded()) {
            return; // read to the end, or the client sent nothing more
          }
          request.handler(chunk -> {});
          request.resume();
        });
  }
}
