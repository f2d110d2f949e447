import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * Bulk-loads N synthetic events into the ingest-service H2 store (schema already migrated by the
 * service; the service must be stopped). Deterministic: a fixed seed, times spread evenly over
 * the 30 days before ANCHOR (epoch seconds). Usage: java -cp h2.jar SeedEvents.java URL N ANCHOR
 */
public class SeedEvents {
  static final String[] DIRS = {"/etc", "/etc/ssl", "/etc/cron.d", "/usr/bin", "/usr/sbin", "/var/lib/kubelet", "/opt/app/conf"};
  static final String[] POLICIES = {"linux-recommended", "pci-dss-extra"};

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    Instant anchor = Instant.ofEpochSecond(Long.parseLong(args[2]));
    int computers = 20;
    long spanMillis = ChronoUnit.DAYS.getDuration().toMillis() * 30;
    Random rnd = new Random(42);
    HexFormat hex = HexFormat.of();
    try (Connection c = DriverManager.getConnection(url, "kubefim", "")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO kubefim_events (event_id, time_generated, computer, entity_type,"
                  + " change_type, file_path, received_at, schema_version, event_json)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)")) {
        for (int i = 0; i < n; i++) {
          Instant t = anchor.minusMillis(spanMillis - (spanMillis * i / n));
          String computer = String.format("node-%02d", rnd.nextInt(computers));
          String id = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
          int roll = rnd.nextInt(100);
          String json;
          String entity = "File";
          String change;
          String path = null;
          if (roll < 5) {
            entity = "Agent";
            change = roll == 0 ? "CoverageGap" : roll < 3 ? "RescanCompleted" : "PolicyApplied";
            json = String.format(
                "{\"TimeGenerated\":\"%s\",\"EventId\":\"%s\",\"Computer\":\"%s\",\"MonitoredEntityType\":\"Agent\",\"ChangeType\":\"%s\",\"Details\":\"synthetic\"}",
                t, id, computer, change);
          } else {
            change = roll < 65 ? "Modified" : roll < 80 ? "Created" : roll < 90 ? "Deleted" : "Renamed";
            path = DIRS[rnd.nextInt(DIRS.length)] + "/file-" + rnd.nextInt(5000) + ".conf";
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            rnd.nextBytes(a);
            rnd.nextBytes(b);
            json = String.format(
                "{\"TimeGenerated\":\"%s\",\"EventId\":\"%s\",\"Computer\":\"%s\",\"MonitoredEntityType\":\"File\",\"ChangeType\":\"%s\",\"FilePath\":\"%s\",\"FileName\":\"%s\",%s\"FileType\":\"File\",\"FileSize\":%d,\"PreviousFileSize\":%d,\"FileSha256\":\"%s\",\"PreviousFileSha256\":\"%s\",\"FileMode\":\"0644\",\"FileOwner\":\"0\",\"FileGroup\":\"0\",%s\"DetectionSource\":\"Realtime\",\"PolicyNames\":[\"%s\"],\"Tags\":{\"compliance\":\"pci-dss\"},\"InitiatingProcessId\":%d,\"InitiatingProcessName\":\"vi\"}",
                t, id, computer, change, path, path.substring(path.lastIndexOf('/') + 1),
                change.equals("Renamed") ? "\"OriginalFilePath\":\"" + path + ".tmp\"," : "",
                rnd.nextInt(100000), rnd.nextInt(100000), hex.formatHex(a), hex.formatHex(b),
                change.equals("Modified") ? "\"FieldsChanged\":[\"Content\",\"Size\"]," : "",
                POLICIES[rnd.nextInt(POLICIES.length)], 1000 + rnd.nextInt(60000));
          }
          ps.setString(1, id);
          ps.setObject(2, t.atOffset(ZoneOffset.UTC));
          ps.setString(3, computer);
          ps.setString(4, entity);
          ps.setString(5, change);
          ps.setString(6, path);
          ps.setObject(7, t.atOffset(ZoneOffset.UTC));
          ps.setString(8, json);
          ps.addBatch();
          if ((i + 1) % 5000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE");
      }
      c.commit();
    }
  }
}
