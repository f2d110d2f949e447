package io.kubefim.ingest.receive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory, gunzipping it when asked, and stops as soon as the decompressed
 * size passes the limit (a gzip bomb costs at most the limit). Stateless.
 */
public final class BodyReader {
  private static final String OVER_BUDGET =
      "the pipeline is full (its bytes in flight), retry later";
  private final int maxBytes;

  public BodyReader(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The decompressed body.
   *
   * @throws BodyTooLargeException past {@code maxBytes}
   * @throws MalformedBodyException a broken gzip stream
   * @throws IOException the connection failed
   */
  public byte[] read(InputStream body, boolean gzip)
      throws IOException, BodyTooLargeException, MalformedBodyException {
    try {
      return read(body, gzip, -1, bytes -> true);
    } catch (BodyOverBudgetException e) {
      throw new IllegalStateException(e); // an unlimited budget is never exceeded
    }
  }

  /**
   * The decompressed body, charging {@code budget} with the running total of bytes read (after
   * gunzip). A declared length ({@code Content-Length}, -1 when unknown) is charged before anything
   * is read, so a flood of large bodies is refused without being read; a chunked or gzipped body is
   * charged as it comes in.
   *
   * @throws BodyOverBudgetException when {@code budget} answers false
   * @throws BodyTooLargeException past {@code maxBytes}
   * @throws MalformedBodyException a broken gzip stream
   * @throws IOException the connection failed
   */
  public byte[] read(
      InputStream body, boolean gzip, long declaredLength, java.util.function.LongPredicate budget)
      throws IOException, BodyTooLargeException, MalformedBodyException, BodyOverBudgetException {
    if (declaredLength > 0 && !budget.test(Math.min(declaredLength, maxBytes))) {
      throw new BodyOverBudgetException(OVER_BUDGET);
    }
    InputStream in = body;
    if (gzip) {
      try {
        in = new GZIPInputStream(body, 8192);
      } catch (ZipException | java.io.EOFException e) {
        throw new MalformedBodyException(
            "Content-Encoding gzip but the body is not gzip: " + e.getMessage());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new BodyTooLargeException(
              "request body is larger than " + maxBytes + " bytes" + (gzip ? " after gunzip" : ""));
        }
        if (!budget.test(total)) {
          throw new BodyOverBudgetException(OVER_BUDGET);
        }
        out.write(buf, 0, n);
      }
    } catch (ZipException | java.io.EOFException e) {
      if (gzip) {
        throw new MalformedBodyException("broken gzip stream: " + e.getMessage());
      }
      throw e;
    }
    return out.toByteArray();
  }
}
