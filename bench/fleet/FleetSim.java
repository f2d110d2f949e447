// Fleet simulation (issue 16): N simulated agents long-poll config-service as the real agent does
// (GET /v1/nodes/{node}/config?wait=30s with If-None-Match), then the policy file is edited and the
// time until every agent holds the new version is measured. One HTTP/1.1 keep-alive connection per
// agent, as a fleet has, all driven by one NIO selector thread with a minimal HTTP/1.1 client: the
// JDK's HttpClient spent as much CPU per answer as config-service itself (3 s for 5,000 agents on
// the simulator's core), so it, not the service, set the pace. A real agent has a node of its own.
// Usage: java FleetSim.java BASE_URL AGENTS POLICY_FILE [SERVICE_PID]
// Prints one JSON line: agents, connect (s until all had a first config), edit latency p50/p99/max,
// and the CPU seconds the simulator and (given its pid) config-service spent from the edit until
// every agent held the new version: which side the fan-out waits for.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class FleetSim {
  static final AtomicLong errors = new AtomicLong();
  static InetSocketAddress address;
  static String hostHeader;
  static Agent[] agents;
  static volatile String oldVersion;
  static CountDownLatch allFirst;
  static volatile CountDownLatch allNew;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int n = Integer.parseInt(args[1]);
    Path policy = Path.of(args[2]);
    long servicePid = args.length > 3 ? Long.parseLong(args[3]) : -1;
    address = new InetSocketAddress(base.getHost(), base.getPort());
    hostHeader = base.getHost() + ":" + base.getPort();
    agents = new Agent[n];
    allFirst = new CountDownLatch(n);
    allNew = new CountDownLatch(n);
    Selector selector = Selector.open();
    Thread loop = new Thread(() -> run(selector, n), "fleet-selector");
    loop.setDaemon(true);
    long t0 = System.nanoTime();
    loop.start();
    if (!allFirst.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every agent got a first config: " + allFirst.getCount());
    }
    double connect = (System.nanoTime() - t0) / 1e9;
    String text = Files.readString(policy);
    // The first edit after start finds config-service's JIT cold for the fan-out's code paths; a
    // service that has run for a while answers the later ones. Both are reported.
    Edit first = edit(policy, text.replace("bench-generation: a", "bench-generation: b"), n, servicePid);
    Edit later = edit(policy, text.replace("bench-generation: a", "bench-generation: c"), n, servicePid);
    System.out.printf(
        Locale.ROOT,
        "{\"agents\":%d,\"connectSeconds\":%.2f,%s,%s,\"errors\":%d}%n",
        n,
        connect,
        first.json("firstEdit"),
        later.json("edit"),
        errors.get());
    System.exit(0);
  }

  /** How one policy edit reached the fleet. */
  record Edit(long[] sortedLatencyNanos, double simulatorCpu, double serviceCpu) {
    String json(String name) {
      long[] lat = sortedLatencyNanos;
      int n = lat.length;
      return String.format(
          Locale.ROOT,
          "\"%1$sP50Seconds\":%2$.3f,\"%1$sP99Seconds\":%3$.3f,\"%1$sMaxSeconds\":%4$.3f,"
              + "\"%1$sCpuSecondsSimulator\":%5$.2f,\"%1$sCpuSecondsService\":%6$.2f",
          name,
          lat[n / 2] / 1e9,
          lat[(int) (n * 0.99)] / 1e9,
          lat[n - 1] / 1e9,
          simulatorCpu,
          serviceCpu);
    }
  }

  /** Writes the policy file once every agent waits, and waits until every agent holds the result. */
  static Edit edit(Path policy, String text, int n, long servicePid) throws Exception {
    oldVersion = agents[0].version;
    for (Agent a : agents) {
      a.gotNewAt = 0;
    }
    allNew = new CountDownLatch(n);
    Thread.sleep(3000); // every agent is waiting in its long poll now
    double simCpu0 = cpuSeconds(ProcessHandle.current().pid());
    double serviceCpu0 = cpuSeconds(servicePid);
    long edit = System.nanoTime();
    Files.writeString(policy, text);
    if (!allNew.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every agent saw the edit: " + allNew.getCount());
    }
    double simCpu = cpuSeconds(ProcessHandle.current().pid()) - simCpu0;
    double serviceCpu = cpuSeconds(servicePid) - serviceCpu0;
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      lat[i] = agents[i].gotNewAt - edit;
    }
    Arrays.sort(lat);
    return new Edit(lat, simCpu, serviceCpu);
  }

  /** utime + stime of a process from /proc (clock ticks of 1/100 s); -1 without a pid. */
  static double cpuSeconds(long pid) throws IOException {
    if (pid < 0) {
      return -1;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** The selector loop: starts the agents 500 at a time (a fleet does not start at once). */
  static void run(Selector selector, int n) {
    ArrayDeque<Agent> retry = new ArrayDeque<>();
    int started = 0;
    long nextStart = 0;
    try {
      while (true) {
        long now = System.nanoTime();
        if (started < n && now >= nextStart) {
          for (int k = 0; k < 500 && started < n; k++, started++) {
            agents[started] = new Agent(started);
            agents[started].connect(selector);
          }
          nextStart = now + 20_000_000L;
        }
        while (!retry.isEmpty() && retry.peekFirst().retryAt <= now) {
          retry.pollFirst().connect(selector);
        }
        selector.select(10);
        for (SelectionKey key : selector.selectedKeys()) {
          Agent a = (Agent) key.attachment();
          try {
            a.ready(key);
          } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            key.cancel();
            try {
              key.channel().close();
            } catch (IOException ignored) {
              // closing a broken connection
            }
            a.retryAt = System.nanoTime() + 1_000_000_000L; // back off a second, as the agent does
            retry.addLast(a);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One agent: its connection, the request it sends, the answer it parses. */
  static final class Agent {
    final int index;
    String version;
    volatile long gotNewAt; // reset by the main thread between edits
    long retryAt;
    SocketChannel channel;
    ByteBuffer out;
    final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    final StringBuilder head = new StringBuilder();
    int status;
    String etag;
    long bodyLeft = -1; // -1 while reading the head
    boolean chunked;

    Agent(int index) {
      this.index = index;
    }

    void connect(Selector selector) throws IOException {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      boolean now = channel.connect(address);
      SelectionKey key =
          channel.register(selector, now ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
      if (now) {
        request(key);
      }
    }

    void request(SelectionKey key) {
      String ifNoneMatch = version == null ? "" : "If-None-Match: \"" + version + "\"\r\n";
      out =
          ByteBuffer.wrap(
              ("GET /v1/nodes/sim-"
                      + index
                      + "/config?wait=30s HTTP/1.1\r\nHost: "
                      + hostHeader
                      + "\r\nAccept: application/json\r\n"
                      + ifNoneMatch
                      + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      head.setLength(0);
      bodyLeft = -1;
      chunked = false;
      etag = null;
      key.interestOps(SelectionKey.OP_WRITE);
    }

    void ready(SelectionKey key) throws IOException {
      if (key.isConnectable()) {
        channel.finishConnect();
        request(key);
        return;
      }
      if (key.isWritable()) {
        channel.write(out);
        if (!out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (key.isReadable()) {
        int r = channel.read(in);
        if (r < 0) {
          throw new IOException("connection closed by config-service");
        }
        in.flip();
        if (parse()) {
          answered();
          request(key);
        }
        in.compact();
      }
    }

    /** Consumes what arrived; true once a whole answer is in. */
    boolean parse() throws IOException {
      while (bodyLeft < 0 && in.hasRemaining()) {
        char c = (char) in.get();
        head.append(c);
        int len = head.length();
        if (len >= 4 && c == '\n' && head.charAt(len - 2) == '\r' && head.charAt(len - 3) == '\n') {
          headDone();
        }
      }
      if (bodyLeft < 0) {
        return false;
      }
      if (!chunked) {
        int take = (int) Math.min(bodyLeft, in.remaining());
        in.position(in.position() + take);
        bodyLeft -= take;
        return bodyLeft == 0;
      }
      return chunks();
    }

    private void headDone() throws IOException {
      String[] lines = head.toString().split("\r\n");
      status = Integer.parseInt(lines[0].split(" ")[1]);
      long length = 0;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        switch (name) {
          case "etag" -> etag = value.replace("\"", "");
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> {
            if (value.equalsIgnoreCase("close")) {
              throw new IOException("config-service closes the connection");
            }
          }
          default -> {}
        }
      }
      head.setLength(0);
      bodyLeft = chunked ? 0 : length;
    }

    /** Chunked body: head holds the partial size line; bodyLeft the rest of the current chunk. */
    private boolean chunks() throws IOException {
      while (in.hasRemaining()) {
        if (bodyLeft > 0) {
          int take = (int) Math.min(bodyLeft, in.remaining());
          in.position(in.position() + take);
          bodyLeft -= take;
          continue;
        }
        char c = (char) in.get();
        head.append(c);
        if (c != '\n') {
          continue;
        }
        String line = head.toString().trim();
        head.setLength(0);
        if (line.isEmpty()) {
          continue; // the CRLF after a chunk's data
        }
        int size = Integer.parseInt(line.split(";")[0], 16);
        if (size == 0) {
          // the last chunk; no trailers are sent by config-service: expect the final CRLF
          if (in.remaining() >= 2) {
            in.position(in.position() + 2);
            return true;
          }
          throw new IOException("split final CRLF not handled");
        }
        bodyLeft = size;
      }
      return false;
    }

    void answered() {
      if (status != 200 && status != 304) {
        errors.incrementAndGet();
        return;
      }
      if (status == 200) {
        String before = version;
        version = etag;
        if (before == null) {
          allFirst.countDown();
        } else if (oldVersion != null && !etag.equals(oldVersion) && gotNewAt == 0) {
          gotNewAt = System.nanoTime();
          allNew.countDown();
        }
      }
    }
  }
}
