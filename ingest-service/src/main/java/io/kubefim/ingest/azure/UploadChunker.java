package io.kubefim.ingest.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts records into uploads of at most {@code maxBytes} serialized (a JSON array: brackets and a
 * comma between records count), keeping order. A record larger than the limit alone goes alone (the
 * service will answer 413 for it, and the sink reports it). Pure.
 */
public final class UploadChunker {
  private UploadChunker() {}

  public static <T> List<List<T>> chunks(List<T> records, ToIntFunction<T> size, int maxBytes) {
    List<List<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long bytes = 2;
    for (T record : records) {
      int s = size.applyAsInt(record) + (current.isEmpty() ? 0 : 1);
      if (!current.isEmpty() && bytes + s > maxBytes) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 2;
        s = size.applyAsInt(record);
      }
      current.add(record);
      bytes += s;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** Two halves of a chunk the service refused as too large (413). */
  public static <T> List<List<T>> halves(List<T> chunk) {
    int mid = chunk.size() / 2;
    return List.of(
        new ArrayList<>(chunk.subList(0, mid)), new ArrayList<>(chunk.subList(mid, chunk.size())));
  }
}
