package io.kubefim.agent.ship;

import io.kubefim.agent.baseline.OutboxRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** One JSON event per line to stdout or a file (appended). Confirmed after flush. */
public final class NdjsonSink implements Sink {
  private final Writer out;
  private final boolean closeOut;

  private NdjsonSink(OutputStream os, boolean closeOut) {
    this.out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
    this.closeOut = closeOut;
  }

  /** {@code "-"} for stdout, else a file appended to (created when missing). */
  public static NdjsonSink open(String target) throws IOException {
    if (target == null || target.equals("-")) {
      return new NdjsonSink(System.out, false);
    }
    Path p = Path.of(target);
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    return new NdjsonSink(
        Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
  }

  @Override
  public synchronized void send(List<OutboxRecord> batch) throws IOException {
    for (OutboxRecord r : batch) {
      out.write(r.json());
      out.write('\n');
    }
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.flush();
    if (closeOut) {
      out.close();
    }
  }
}
