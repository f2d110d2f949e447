package io.kubefim.ingest.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubefim.ingest.testing.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The machines page, the machine page and its CSV on a store seeded through POST /v1/events. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachinePagesIT {
  private final String run = Long.toString(System.nanoTime(), 36);
  private final String alpha = "web-alpha-" + run;
  private final String beta = "web-beta-" + run;
  private final String idle = "web-idle-" + run;
  private final String pages = "web-pages-" + run;
  private final String who = "web-who-" + run;
  // names against the order: a machine with unexpected changes comes first whatever its name
  private final String calm = "web-aaa-calm-" + run;
  private final String loud = "web-zzz-loud-" + run;
  private final String tidy = "web-tidy-" + run;
  private final String old = "web-old-" + run;

  @jakarta.inject.Inject io.kubefim.ingest.store.ReviewStore reviews;
  private final Instant now = Instant.now();

  private boolean seeded;

  /** Once per class; in @BeforeEach because RestAssured knows the test port only there. */
  @BeforeEach
  void seed() {
    if (seeded) {
      return;
    }
    seeded = true;
    List<ObjectNode> events = new ArrayList<>();
    events.add(change(alpha, "Created", "/etc/ssl/a.pem", 10));
    events.add(change(alpha, "Created", "/etc/ssl2/b.pem", 11));
    events.add(change(alpha, "Modified", "/etc/ssl/cert.pem", 12));
    ObjectNode renamed = change(alpha, "Renamed", "/etc/ssl/new.pem", 13);
    renamed.put("OriginalFilePath", "/etc/ssl/old.pem");
    events.add(renamed);
    ObjectNode deleted = change(alpha, "Deleted", "/etc/we,ird \"name\".conf", 14);
    deleted.put("ErrorMessage", "vanished\nmid-hash");
    events.add(deleted);
    events.add(change(alpha, "Modified", "/etc/old.conf", Duration.ofDays(3).toMinutes()));
    events.add(agentEvent(alpha, "CoverageGap", 20));
    events.add(agentEvent(alpha, "CoverageGap", 21));
    events.add(change(beta, "Modified", "/etc/passwd", 30));
    events.add(agentEvent(idle, "AgentStarted", 40));
    ObjectNode applied = agentEvent(idle, "PolicyApplied", 41);
    applied.put("Details", "config abc: 3 rules");
    events.add(applied);
    // 120 changes, three to each TimeGenerated: paging must break ties on arrival order
    for (int i = 0; i < 120; i++) {
      events.add(change(pages, "Modified", "/var/lib/f" + i, 100 + i / 3));
    }
    ObjectNode inPod = TestEvents.attributed(who, "/etc/app/pod.conf");
    inPod.put("TimeGenerated", now.minus(Duration.ofMinutes(50)).toString());
    events.add(inPod);
    ObjectNode onHost = change(who, "Modified", "/etc/app/host.conf", 51);
    onHost.put("InitiatingProcessName", "vim");
    onHost.put("InitiatingProcessAccountName", "1001");
    onHost.put("InitiatingProcessPosixUserId", 1001L);
    events.add(onHost);
    ObjectNode unknown = change(who, "Modified", "/etc/app/unknown.conf", 52);
    unknown.remove(List.of("InitiatingProcessId", "InitiatingProcessName"));
    events.add(unknown);
    events.add(expected(calm, "/usr/bin/ls", "PackageManager:/usr/bin/dpkg", 60));
    events.add(expected(calm, "/etc/motd", "MaintenanceWindow:patch-<b>sunday</b>", 61));
    ObjectNode closed = TestEvents.windowClosed(calm, "linux", "patch-<b>sunday</b>");
    closed.put("TimeGenerated", now.minus(Duration.ofMinutes(59)).toString());
    events.add(closed);
    ObjectNode partial = TestEvents.windowClosed(calm, "linux", "adhoc");
    partial.put("ExpectedReason", "adhoc");
    partial.put("TimeGenerated", now.minus(Duration.ofMinutes(58)).toString());
    partial.put(
        "Details", "{\"policy\":\"linux\",\"window\":\"adhoc\",\"byDirectory\":{\"/opt\":3}}");
    events.add(partial);
    events.add(change(loud, "Modified", "/etc/shadow", 70));
    events.add(expected(loud, "/usr/bin/apt", "Process:/opt/deploy/bin/roll", 71));
    events.add(expected(loud, "/usr/bin/apt2", "Process:/opt/deploy/bin/roll", 72));
    events.add(change(tidy, "Modified", "/etc/hosts", 80));
    events.add(change(tidy, "Created", "/etc/cron.d/job", 81));
    events.add(change(old, "Modified", "/etc/sudoers", Duration.ofDays(20).toMinutes()));
    given()
        .contentType("application/json")
        .body(TestEvents.array(events))
        .post("/v1/events")
        .then()
        .statusCode(202);
  }

  @Test
  void machinesPageCountsUnexpectedAndExpectedAndListsUnexpectedFirst() {
    String html = given().get("/").then().statusCode(200).extract().asString();
    assertThat(count(row(html, loud), "Unexpected")).isEqualTo(1);
    assertThat(count(row(html, loud), "Expected")).isEqualTo(2);
    assertThat(row(html, loud)).contains("<strong class=\"unexpected\">1</strong>");
    // the window summaries are Agent events: labelled expected, but no change
    assertThat(count(row(html, calm), "Unexpected")).isEqualTo(0);
    assertThat(count(row(html, calm), "Expected")).isEqualTo(2);
    assertThat(count(row(html, alpha), "Unexpected")).isEqualTo(5);
    assertThat(html.indexOf("data-computer=\"" + loud + "\""))
        .isLessThan(html.indexOf("data-computer=\"" + calm + "\""));
    assertThat(html.indexOf("data-computer=\"" + alpha + "\""))
        .isLessThan(html.indexOf("data-computer=\"" + calm + "\""));
  }

  @Test
  void machinePageListsUnexpectedChangesFirstAndExpectedOnesApartWithTheirReason() {
    String html = page(loud);
    int unexpectedList = html.indexOf("<ol id=\"changes\"");
    int expectedList = html.indexOf("<ol id=\"expected-changes\"");
    assertThat(unexpectedList).isPositive().isLessThan(expectedList);
    String unexpected = html.substring(unexpectedList, expectedList);
    String expected = html.substring(expectedList);
    assertThat(paths(unexpected)).containsExactly("/etc/shadow");
    assertThat(paths(expected)).containsExactly("/usr/bin/apt", "/usr/bin/apt2");
    assertThat(summaries(expected))
        .allSatisfy(
            x ->
                assertThat(x)
                    .contains(
                        "<span class=\"reason\">expected: Process:/opt/deploy/bin/roll</span>"));
    assertThat(unexpected).doesNotContain("class=\"reason\"");

    String none = page(alpha);
    assertThat(none).contains("No expected changes match.");
  }

  @Test
  void aWindowSummaryShowsItsCountsByDirectoryEscaped() {
    String html = page(calm, "changeType", "MaintenanceWindowClosed");
    assertThat(html)
        .contains(
            "Window <strong>patch-&lt;b&gt;sunday&lt;/b&gt;</strong> of policy <strong>linux</strong>")
        .contains("2024-05-01T02:00:00Z to 2024-05-01T04:00:00Z. Changes inside: 7.")
        .contains("By change type: Modified 5, Created 2")
        .contains("<tr><td><code>/usr/bin</code></td><td class=\"num\">4</td></tr>")
        .contains("<tr><td><code>/etc</code></td><td class=\"num\">2</td></tr>")
        .contains("<tr><td><em>other directories</em></td><td class=\"num\">1</td></tr>")
        .contains("expected: MaintenanceWindow:patch-&lt;b&gt;sunday&lt;/b&gt;")
        .doesNotContain("<b>sunday")
        .doesNotContain("<dt>Details</dt>");
    // the ad-hoc one has directories only: no type line, no other-directories row
    String adhoc = html.substring(html.indexOf("Window <strong>adhoc</strong>"));
    adhoc = adhoc.substring(0, adhoc.indexOf("</details>"));
    assertThat(adhoc)
        .contains("<tr><td><code>/opt</code></td><td class=\"num\">3</td></tr>")
        .doesNotContain("By change type")
        .doesNotContain("other directories")
        .doesNotContain("Changes inside:");
  }

  @Test
  void csvCarriesChangeExpectedAndExpectedReason() {
    String csv =
        given()
            .get("/machines/" + loud + "/changes.csv")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    assertThat(lines[0]).contains(",NewValueData,ChangeExpected,ExpectedReason,PolicyNames,");
    assertThat(lines).hasSize(4);
    assertThat(csv)
        .contains(",true,Process:/opt/deploy/bin/roll,")
        .contains(",false,,linux-recommended,");
  }

  @Test
  void anUnreviewedChangeStaysCountedOutsideTheWindowAndAReviewedMachineNoLongerCounts()
      throws Exception {
    String html = given().get("/").then().statusCode(200).extract().asString();
    assertThat(count(row(html, old), "Unreviewed")).isEqualTo(1); // 20 days old, 24h window
    assertThat(count(row(html, old), "Unexpected")).isEqualTo(0);
    assertThat(count(row(html, tidy), "Unreviewed")).isEqualTo(2);

    String page = page(tidy);
    assertThat(page)
        .contains("2 unexpected changes not yet reviewed")
        .contains("<form method=\"post\" action=\"/machines/" + tidy + "/review\"")
        .contains("<input type=\"hidden\" name=\"count\" value=\"2\">")
        .contains("<strong class=\"unreviewed\">not reviewed</strong>");
    Matcher seq = Pattern.compile("name=\"throughSeq\" value=\"(\\d+)\"").matcher(page);
    assertThat(seq.find()).isTrue();
    assertThat(
            reviews.markReviewed(tidy, Long.parseLong(seq.group(1)), 2, "oidc:alice@example.com"))
        .isInstanceOf(io.kubefim.ingest.store.ReviewStore.Marked.class);

    String after = given().get("/").then().extract().asString();
    assertThat(count(row(after, tidy), "Unreviewed")).isEqualTo(0);
    assertThat(count(row(after, tidy), "Unexpected")).isEqualTo(2); // still counted, reviewed
    assertThat(after.indexOf("data-computer=\"" + old + "\""))
        .isLessThan(after.indexOf("data-computer=\"" + tidy + "\""));
    String reviewedPage = page(tidy);
    assertThat(reviewedPage)
        .contains("No unreviewed unexpected changes.")
        .doesNotContain("<form method=\"post\"")
        .contains("<span class=\"reviewed\">reviewed by oidc:alice@example.com</span>")
        .contains("<dt>Reviewed</dt><dd>by oidc:alice@example.com at <time datetime=\"");
  }

  @Test
  void theReviewFormNeedsALoginEvenWhenReadingIsOpen() {
    given()
        .contentType("application/x-www-form-urlencoded")
        .header("Origin", "http://localhost:" + io.restassured.RestAssured.port)
        .formParam("throughSeq", "1")
        .formParam("count", "0")
        .post("/machines/" + tidy + "/review")
        .then()
        .statusCode(401);
  }

  private static long count(String row, String type) {
    Matcher m =
        Pattern.compile("data-type=\"" + type + "\">(?:<strong[^>]*>)?(\\d+)<").matcher(row);
    assertThat(m.find()).as(type).isTrue();
    return Long.parseLong(m.group(1));
  }

  private ObjectNode expected(String computer, String path, String reason, long minutesAgo) {
    ObjectNode e = TestEvents.expected(computer, path, reason);
    e.put("TimeGenerated", now.minus(Duration.ofMinutes(minutesAgo)).toString());
    return e;
  }

  @Test
  void machinesPageCountsEveryMachineByChangeTypeInTheWindow() {
    String html = given().get("/").then().statusCode(200).extract().asString();
    assertThat(html).contains("<title>Machines · KubeFIM</title>");
    assertThat(counts(html, alpha)).containsExactly(2L, 1L, 1L, 1L);
    assertThat(row(html, alpha)).contains("⚠ 2 coverage gaps").contains("linux-recommended");
    assertThat(counts(html, beta)).containsExactly(0L, 1L, 0L, 0L);
    assertThat(counts(html, idle)).containsExactly(0L, 0L, 0L, 0L);
    assertThat(row(html, idle)).contains("no gaps").contains("config abc: 3 rules");
    assertThat(html)
        .contains("<td>" + alpha + "</td><td>Agent</td><td class=\"num\">2</td>")
        .contains("<td>" + alpha + "</td><td>File</td><td class=\"num\">5</td>");

    String week = given().queryParam("window", "7d").get("/").then().extract().asString();
    assertThat(counts(week, alpha)).containsExactly(2L, 2L, 1L, 1L);
    given().queryParam("window", "1y").get("/").then().statusCode(400);
  }

  @Test
  void machinePageFiltersByChangeTypeAndPathPrefixOnSegments() {
    String all = page(alpha, "window", "24h");
    assertThat(all).contains("<title>" + alpha + ": changes · KubeFIM</title>");
    assertThat(summaries(all)).hasSize(7);
    assertThat(summaries(page(alpha, "changeType", "Created"))).hasSize(2);
    String ssl = page(alpha, "pathPrefix", "/etc/ssl/");
    assertThat(ssl).contains("/etc/ssl/a.pem").doesNotContain("/etc/ssl2/b.pem");
    assertThat(summaries(ssl)).hasSize(3);
    String week = page(alpha, "window", "7d", "changeType", "Modified");
    assertThat(summaries(week)).hasSize(2);
    String renamed = page(alpha, "changeType", "Renamed");
    assertThat(renamed).contains("from <code>/etc/ssl/old.pem</code>");
    String modified = page(alpha, "changeType", "Modified");
    assertThat(modified)
        .contains("<th scope=\"row\">SHA-256</th><td><code>" + "b".repeat(64))
        .contains("<dt>Process</dt><dd>vi</dd>")
        .contains("<dt>Fields changed</dt><dd>Content, Size</dd>");
  }

  @Test
  void pagesFollowTheKeysetCursorWithoutGapsOrRepeats() {
    List<String> seen = new ArrayList<>();
    String next = "/machines/" + pages + "?window=24h";
    int pagesRead = 0;
    while (next != null) {
      String html =
          given().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().asString();
      List<String> paths = paths(html);
      assertThat(paths.size()).isLessThanOrEqualTo(50);
      seen.addAll(paths);
      pagesRead++;
      Matcher m = Pattern.compile("<a href=\"([^\"]+)\" rel=\"next\"").matcher(html);
      next = m.find() ? m.group(1).replace("&amp;", "&") : null;
    }
    assertThat(pagesRead).isEqualTo(3);
    assertThat(seen).hasSize(120).doesNotHaveDuplicates();
    // newest first: f0..f2 are the newest group (10 minutes younger than f117..f119)
    assertThat(seen.subList(0, 3))
        .containsExactlyInAnyOrder("/var/lib/f0", "/var/lib/f1", "/var/lib/f2");
    assertThat(seen.get(119)).isIn("/var/lib/f117", "/var/lib/f118", "/var/lib/f119");
    given().queryParam("before", "nonsense").get("/machines/" + pages).then().statusCode(400);
  }

  @Test
  void csvExportsTheFilteredListWithHeaderAndRfc4180Quoting() {
    String csv =
        given()
            .queryParam("window", "24h")
            .queryParam("changeType", "Deleted")
            .get("/machines/" + alpha + "/changes.csv")
            .then()
            .statusCode(200)
            .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
            .extract()
            .asString();
    String[] lines = csv.split("\r\n", -1);
    assertThat(lines[0])
        .startsWith("TimeGenerated,EventId,Computer,MonitoredEntityType,ChangeType,FilePath,");
    assertThat(csv)
        .contains("," + alpha + ",File,Deleted,\"/etc/we,ird \"\"name\"\".conf\",")
        .contains(",\"vanished\nmid-hash\",")
        .endsWith("\r\n");
    // header, one record (its quoted field holds a bare LF), final CRLF
    assertThat(lines).hasSize(3);

    String all = given().get("/machines/" + pages + "/changes.csv").then().extract().asString();
    assertThat(all.split("\r\n")).hasSize(121);
  }

  @Test
  void changeListSaysWhoAndTheDetailsShowEveryAttributionFieldEscaped() {
    String html = page(who);
    List<String> summaries = summaries(html);
    assertThat(summaries).hasSize(3);
    assertThat(summaries.get(0))
        .contains("<code>/etc/app/pod.conf</code>")
        .contains(" by <span class=\"who\">vim (pid 4242) · pod default/debug-x</span>");
    assertThat(summaries.get(1))
        .contains("<code>/etc/app/host.conf</code>")
        .contains(" by <span class=\"who\">vim (pid 4242) · host</span>");
    assertThat(summaries.get(2)).contains("/etc/app/unknown.conf").doesNotContain("who");
    assertThat(html)
        .contains("<dt>Process</dt><dd>vim</dd>")
        .contains("<dt>Process id</dt><dd>4242</dd>")
        .contains("<dt>Image</dt><dd>/usr/bin/vim.basic</dd>")
        .contains(
            "<dt>Command line</dt><dd>vim -c &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"
                + " /etc/app/x.conf &amp; echo &quot;done&quot;</dd>")
        .contains("<dt>Started</dt><dd>2024-05-01T10:14:02.500Z</dd>")
        .contains("<dt>Parent</dt><dd>bash (pid 4100)</dd>")
        .contains("<dt>User</dt><dd>root (uid 0)</dd>")
        .contains("<dt>Login user</dt><dd>alice (uid 1000)</dd>")
        .contains("<dt>Writers</dt><dd>2 writers, last shown</dd>")
        .contains("<dt>Container</dt><dd>shell</dd>")
        .contains("<dt>Container id</dt><dd>" + "0123456789abcdef".repeat(4) + "</dd>")
        .contains("<dt>Pod</dt><dd>debug-x</dd>")
        .contains("<dt>Namespace</dt><dd>default</dd>")
        .contains("<dt>Pod uid</dt><dd>7b1e8c2a-3f4d-4e5a-9b6c-0d1e2f3a4b5c</dd>")
        .contains("<dt>User</dt><dd>1001</dd>")
        .doesNotContain("<script>alert");
  }

  @Test
  void csvCarriesEveryAttributionColumnInSpecOrder() {
    String csv =
        given()
            .queryParam("pathPrefix", "/etc/app/pod.conf")
            .get("/machines/" + who + "/changes.csv")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .contains(
            ",InitiatingProcessId,InitiatingProcessName,InitiatingProcessImageFilePath,"
                + "InitiatingProcessCommandLine,InitiatingProcessCreationTime,"
                + "InitiatingProcessParentId,InitiatingProcessParentName,"
                + "InitiatingProcessAccountName,InitiatingProcessPosixUserId,"
                + "InitiatingProcessLoginUserId,InitiatingProcessLoginAccountName,"
                + "InitiatingProcessCount,ContainerId,PodUid,PodName,PodNamespace,ContainerName,");
    assertThat(lines[1])
        .contains(
            ",4242,vim,/usr/bin/vim.basic,"
                + "\"vim -c '<script>alert(1)</script>' /etc/app/x.conf & echo \"\"done\"\"\","
                + "2024-05-01T10:14:02.500Z,4100,bash,root,0,1000,alice,2,"
                + "0123456789abcdef".repeat(4)
                + ",7b1e8c2a-3f4d-4e5a-9b6c-0d1e2f3a4b5c,debug-x,default,shell,");
  }

  @Test
  void unknownMachineIs404() {
    given().get("/machines/no-such-node-" + run).then().statusCode(404);
    given().get("/machines/no-such-node-" + run + "/changes.csv").then().statusCode(404);
  }

  private String page(String computer, String... params) {
    var req = given();
    for (int i = 0; i + 1 < params.length; i += 2) {
      req = req.queryParam(params[i], params[i + 1]);
    }
    return req.get("/machines/" + computer).then().statusCode(200).extract().asString();
  }

  private static String row(String html, String computer) {
    Matcher m =
        Pattern.compile(
                "<tr data-computer=\"" + Pattern.quote(computer) + "\">(.*?)</tr>", Pattern.DOTALL)
            .matcher(html);
    assertThat(m.find()).as("row of %s", computer).isTrue();
    return m.group(1);
  }

  /** Created, Modified, Renamed, Deleted of the machine's row. */
  private static List<Long> counts(String html, String computer) {
    String row = row(html, computer);
    List<Long> out = new ArrayList<>();
    for (String type : List.of("Created", "Modified", "Renamed", "Deleted")) {
      Matcher m = Pattern.compile("data-type=\"" + type + "\">(\\d+)<").matcher(row);
      assertThat(m.find()).isTrue();
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  private static List<String> summaries(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<summary>(.*?)</summary>", Pattern.DOTALL).matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> paths(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("</strong> <code>([^<]+)</code>").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private ObjectNode change(String computer, String type, String path, long minutesAgo) {
    ObjectNode e = TestEvents.file(computer, path);
    e.put("TimeGenerated", now.minus(Duration.ofMinutes(minutesAgo)).toString());
    e.put("ChangeType", type);
    if (!type.equals("Modified")) {
      e.remove("FieldsChanged");
    }
    return e;
  }

  private ObjectNode agentEvent(String computer, String type, long minutesAgo) {
    ObjectNode e = TestEvents.agent(computer, type);
    e.put("TimeGenerated", now.minus(Duration.ofMinutes(minutesAgo)).toString());
    return e;
  }
}
