package io.kubefim.ingest.stdout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.json.Json;
import io.kubefim.ingest.IngestConfig.SinkKind;
import io.kubefim.ingest.pipeline.IngestBatch;
import io.kubefim.ingest.pipeline.SinkDispatcher;
import io.kubefim.ingest.pipeline.SinkException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code stdout} sink: one JSON line per event (NDJSON) on standard output, for log shippers;
 * the service's own logs go to stderr ({@code quarkus.log.console.stderr=true}) so the stream stays
 * pure NDJSON. Durability: the batch is written and flushed as one block under a lock (batches
 * never interleave); from there the log shipper owns it. A write error fails the batch.
 */
@ApplicationScoped
public class StdoutSink implements SinkDispatcher.KindedSink {
  private final ObjectMapper mapper = Json.mapper();
  private final OutputStream out;

  public StdoutSink() {
    this(System.out);
  }

  StdoutSink(OutputStream out) {
    this.out = out;
  }

  @Override
  public SinkKind kind() {
    return SinkKind.STDOUT;
  }

  @Override
  public String name() {
    return "stdout";
  }

  @Override
  public void accept(IngestBatch batch) throws SinkException {
    StringBuilder block = new StringBuilder(batch.events().size() * 512);
    try {
      for (FimEvent e : batch.events()) {
        block.append(mapper.writeValueAsString(e)).append('\n');
      }
      byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
      synchronized (this) {
        out.write(bytes);
        out.flush();
        if (out instanceof PrintStream ps && ps.checkError()) {
          throw new IOException("standard output reports an error");
        }
      }
    } catch (IOException e) {
      throw new SinkException(name(), "write failed: " + e.getMessage(), null, e);
    }
  }
}
