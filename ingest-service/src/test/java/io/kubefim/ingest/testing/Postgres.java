package io.kubefim.ingest.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for the store tests (issue 16): Debian's server binaries ({@code
 * /usr/lib/postgresql/<v>/bin}, installed by {@code .ci/run}), a throw-away cluster made with
 * {@code initdb -A trust} in a temp dir, started on a free port on 127.0.0.1 (as user {@code
 * postgres} when the tests run as root: initdb refuses root), stopped and deleted after the tests.
 * {@link Profile} points ingest-service's store at it (the {@code postgresql} datasource, Flyway
 * migrating it at start). Tests that use it are {@code @EnabledIf(Postgres#available)}: skipped
 * with a reason where the binaries are missing, run in CI.
 */
public final class Postgres implements QuarkusTestResourceLifecycleManager {
  private Cluster cluster;

  /** The directory with initdb and pg_ctl, if the server is installed. */
  static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** For {@code @EnabledIf}: PostgreSQL's server binaries are installed here. */
  public static boolean available() {
    boolean ok = binaries().isPresent();
    if (!ok) {
      System.out.println(
          "SKIP PostgreSQL store tests: no /usr/lib/postgresql/*/bin/initdb (apt-get install"
              + " postgresql; .ci/run does)");
    }
    return ok;
  }

  @Override
  public Map<String, String> start() {
    cluster = Cluster.start();
    return Map.of(
        "quarkus.datasource.postgresql.jdbc.url",
        cluster.jdbcUrl(),
        "quarkus.datasource.postgresql.username",
        Cluster.USER,
        "quarkus.datasource.postgresql.password",
        "");
  }

  @Override
  public void stop() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /**
   * One throw-away cluster with an empty database {@code kubefim}, usable without Quarkus (tests
   * that start the packaged service as child processes). {@link #start} returns once it accepts
   * connections; {@link #close} stops it ({@code -m immediate}) and deletes its directory. The
   * collation is {@code C.UTF-8}, not {@code C}: like Azure's {@code en_US.utf8}, a plain btree
   * then cannot serve {@code LIKE 'prefix%'} (docs/ingest.md, PostgreSQL).
   */
  public static final class Cluster implements AutoCloseable {
    /** The superuser the cluster trusts (no password). */
    public static final String USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;

    private Cluster(Path bin, Path dir, int port) {
      this.bin = bin;
      this.dir = dir;
      this.port = port;
    }

    public static Cluster start() {
      Path bin =
          binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed"));
      Path dir = null;
      try {
        dir = Files.createTempDirectory("kubefim-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
          port = s.getLocalPort();
        }
        Cluster c = new Cluster(bin, dir, port);
        c.init();
        return c;
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (dir != null) {
          delete(dir);
        }
        throw new IllegalStateException("cannot start PostgreSQL: " + e, e);
      }
    }

    private void init() throws IOException, InterruptedException {
      if (root()) {
        run(List.of("chown", "postgres:postgres", dir.toString()));
      }
      Path data = dir.resolve("data");
      run(
          asPostgres(
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-A",
              "trust",
              "-U",
              USER,
              "-E",
              "UTF8",
              "--locale=C.UTF-8"));
      run(
          asPostgres(
              bin.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-l",
              dir.resolve("log").toString(),
              "-w",
              "-o",
              "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
              "start"));
      run(
          asPostgres(
              bin.resolve("createdb").toString(),
              "-h",
              "127.0.0.1",
              "-p",
              String.valueOf(port),
              "-U",
              USER,
              "kubefim"));
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/kubefim}. */
    public String jdbcUrl() {
      return "jdbc:postgresql://127.0.0.1:" + port + "/kubefim";
    }

    /** The server's log file (for a failing test's message). */
    public Path log() {
      return dir.resolve("log");
    }

    @Override
    public void close() {
      try {
        run(
            asPostgres(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-m",
                "immediate",
                "stop"));
      } catch (IOException | InterruptedException | RuntimeException e) {
        System.err.println("PostgreSQL did not stop cleanly: " + e);
      }
      delete(dir);
    }

    private static void delete(Path dir) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        System.err.println("PostgreSQL test dir not removed: " + dir);
      }
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asPostgres(String... cmd) {
    List<String> out = new ArrayList<>();
    if (root()) {
      out.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    out.addAll(Arrays.asList(cmd));
    return out;
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd)
              + " failed: "
              + new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /**
   * The store on PostgreSQL instead of H2: the {@code postgresql} datasource, migrated at start.
   */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.active", "false",
          "quarkus.datasource.postgresql.active", "true",
          "kubefim.ingest.store.datasource", "postgresql");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Postgres.class));
    }

    @Override
    public String getConfigProfile() {
      return "test";
    }
  }
}
