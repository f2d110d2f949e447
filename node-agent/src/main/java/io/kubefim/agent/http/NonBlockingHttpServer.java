package io.kubefim.agent.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A minimal HTTP/1.1 GET server that no client can block: one selector thread reads every
 * connection without blocking, so a client that sends half a request (or nothing) and holds the
 * connection costs a socket, not the thread. A request must arrive whole within {@code
 * requestTimeoutMillis} and fit in 8 KiB of head, or the connection is closed; at most {@code
 * maxConnections} are open, the oldest still reading is closed to make room. Every answer carries
 * {@code Connection: close} (the kubelet's probes and Prometheus open a connection per request).
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it reads the request head on the executor's
 * thread with a blocking read, so N half-open connections block N threads, and its only timeouts
 * ({@code sun.net.httpserver.maxReqTime}) are JVM-wide system properties read once.
 *
 * <p>Routes are exact paths (the query is ignored). An inline route is answered on the selector
 * thread and must not block (health: volatile reads); any other runs on one worker thread (metrics
 * reads the state database), and its answer is written by the selector thread.
 */
final class NonBlockingHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NonBlockingHttpServer.class.getName());
  private static final int MAX_HEAD = 8192;

  /** An answer. */
  record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String body) {
      return new Response(
          status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A route's handler.
   *
   * @param inline answered on the selector thread (must not block)
   */
  record Route(Supplier<Response> handler, boolean inline) {}

  private static final class Conn {
    final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
    ByteBuffer out;
    long deadline;
    boolean handling;

    Conn(long deadline) {
      this.deadline = deadline;
    }
  }

  private record Done(SelectionKey key, Response response) {}

  private final Map<String, Route> routes;
  private final long timeoutNanos;
  private final int maxConnections;
  private final Selector selector;
  private final ServerSocketChannel server;
  private final ExecutorService worker;
  private final Queue<Done> done = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean open = true;

  NonBlockingHttpServer(
      int port,
      Map<String, Route> routes,
      long requestTimeoutMillis,
      int maxConnections,
      String threadName)
      throws IOException {
    this.routes = Map.copyOf(routes);
    this.timeoutNanos = requestTimeoutMillis * 1_000_000L;
    this.maxConnections = maxConnections;
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(port), 128);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName + "-worker");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
  }

  private void loop() {
    while (open) {
      try {
        selector.select(100);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          handle(key);
        }
        for (Done d; (d = done.poll()) != null; ) {
          if (d.key().isValid()) {
            respond(d.key(), (Conn) d.key().attachment(), d.response());
          }
        }
        sweep(System.nanoTime());
      } catch (ClosedSelectorException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "http loop error={0}", e.toString());
      }
    }
  }

  private void handle(SelectionKey key) {
    try {
      if (!key.isValid()) {
        return;
      }
      if (key.isAcceptable()) {
        accept();
      } else if (key.isReadable()) {
        read(key, (Conn) key.attachment());
      } else if (key.isWritable()) {
        write(key, (Conn) key.attachment());
      }
    } catch (IOException | RuntimeException e) {
      close(key);
    }
  }

  private void accept() throws IOException {
    for (SocketChannel ch; (ch = server.accept()) != null; ) {
      if (selector.keys().size() > maxConnections) {
        evictOldest();
      }
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, new Conn(System.nanoTime() + timeoutNanos));
    }
  }

  private void read(SelectionKey key, Conn c) throws IOException {
    int n = ((SocketChannel) key.channel()).read(c.in);
    if (n < 0) {
      close(key);
      return;
    }
    int end = headEnd(c.in);
    if (end < 0) {
      if (!c.in.hasRemaining()) {
        respond(key, c, Response.text(431, "request head larger than " + MAX_HEAD + " bytes\n"));
      }
      return;
    }
    String head = new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1);
    String[] line = head.split("\r?\n", 2)[0].split(" ");
    if (line.length != 3 || !line[2].startsWith("HTTP/")) {
      respond(key, c, Response.text(400, "bad request line\n"));
      return;
    }
    if (!line[0].equals("GET") && !line[0].equals("HEAD")) {
      respond(key, c, Response.text(405, "only GET\n"));
      return;
    }
    String path = line[1].split("\\?", 2)[0];
    Route route = routes.get(path);
    if (route == null) {
      respond(key, c, Response.text(404, "no such path: " + path + "\n"));
      return;
    }
    if (route.inline()) {
      respond(key, c, call(route));
      return;
    }
    c.handling = true;
    key.interestOps(0);
    try {
      worker.execute(
          () -> {
            done.add(new Done(key, call(route)));
            selector.wakeup();
          });
    } catch (RejectedExecutionException e) {
      close(key);
    }
  }

  private static Response call(Route route) {
    try {
      return route.handler().get();
    } catch (RuntimeException | Error e) {
      return Response.text(500, "handler failed: " + e + "\n");
    }
  }

  /** Where the head ends (after the blank line), or -1 while it has not arrived. */
  private static int headEnd(ByteBuffer in) {
    byte[] a = in.array();
    int len = in.position();
    for (int i = 0; i + 1 < len; i++) {
      if (a[i] == '\n'
          && (a[i + 1] == '\n' || (a[i + 1] == '\r' && i + 2 < len && a[i + 2] == '\n'))) {
        return i;
      }
    }
    return -1;
  }

  private void respond(SelectionKey key, Conn c, Response r) {
    byte[] head =
        ("HTTP/1.1 "
                + r.status()
                + " "
                + reason(r.status())
                + "\r\nContent-Type: "
                + r.contentType()
                + "\r\nContent-Length: "
                + r.body().length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    boolean isHead = c.in.position() >= 4 && c.in.array()[0] == 'H';
    c.out = ByteBuffer.allocate(head.length + (isHead ? 0 : r.body().length));
    c.out.put(head);
    if (!isHead) {
      c.out.put(r.body());
    }
    c.out.flip();
    c.handling = false;
    c.deadline = System.nanoTime() + timeoutNanos; // the answer must be taken in time, too
    key.interestOps(SelectionKey.OP_WRITE);
    try {
      write(key, c);
    } catch (IOException e) {
      close(key);
    }
  }

  private void write(SelectionKey key, Conn c) throws IOException {
    ((SocketChannel) key.channel()).write(c.out);
    if (!c.out.hasRemaining()) {
      close(key);
    }
  }

  /** Closes connections past their deadline (not those whose answer is being computed). */
  private void sweep(long now) {
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Conn c && !c.handling && now - c.deadline > 0) {
        close(key);
      }
    }
  }

  private void evictOldest() {
    SelectionKey oldest = null;
    long first = Long.MAX_VALUE;
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Conn c
          && !c.handling
          && c.out == null
          && c.deadline < first) {
        first = c.deadline;
        oldest = key;
      }
    }
    if (oldest != null) {
      close(oldest);
    }
  }

  private static void close(SelectionKey key) {
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
    for (SelectionKey key : selector.keys()) {
      close(key);
    }
    try {
      server.close();
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
