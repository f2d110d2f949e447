package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The desired state of a {@link FimPolicy}: SPEC §2. Defaults are applied by the compiler. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FimPolicySpec {
  /** Go duration syntax as Kubernetes CEL's duration() understands it, e.g. 6h, 90m, 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  public static final String DEFAULT_SCAN_INTERVAL = "6h";

  /** Bounds the CEL cost of the per-path rules in {@link FimRule}. */
  public static final int MAX_RULES = 64;

  /** Longest duration string; bounds the CEL cost of duration(). */
  public static final int MAX_DURATION_LENGTH = 32;

  public static final String DEFAULT_DEBOUNCE = "500ms";

  @JsonPropertyDescription(
      "Nodes whose agent applies this policy (a Kubernetes LabelSelector). Absent: every Linux"
          + " node.")
  private LabelSelector nodeSelector;

  @JsonPropertyDescription(
      "Tolerations merged (union over all policies) into the shared kubefim-agent DaemonSet, so"
          + " that agents also run on tainted nodes.")
  private List<Toleration> tolerations = new ArrayList<>();

  @Required
  @Size(min = 1, max = MAX_RULES)
  @JsonPropertyDescription("What to monitor: at least one rule, at most 64.")
  private List<FimRule> rules = new ArrayList<>();

  @Default("true")
  @JsonPropertyDescription(
      "Watch for changes as they happen (inotify). false: detect changes by scheduled scans"
          + " only. Default true.")
  private Boolean realtime;

  @Pattern(DURATION_PATTERN)
  @Size(max = MAX_DURATION_LENGTH)
  @ValidationRule(
      value = "duration(self) >= duration('5m')",
      message = "scanInterval must be at least 5m")
  @JsonPropertyDescription(
      "How often a full rescan runs (Go duration, e.g. 6h, 90m). At least 5m. Default 6h.")
  private String scanInterval;

  @Pattern(DURATION_PATTERN)
  @Size(max = MAX_DURATION_LENGTH)
  @ValidationRule(
      value = "duration(self) <= duration('1h')",
      message = "debounce must be at most 1h")
  @JsonPropertyDescription(
      "Quiet time after the last write to a file before its event is emitted: a burst of writes"
          + " to one file is one event (Go duration, e.g. 500ms). Default 500ms.")
  private String debounce;

  @JsonPropertyDescription(
      "Labels copied onto every event this policy matches (event column Tags).")
  private Map<String, String> tags = new LinkedHashMap<>();

  @Default("false")
  @JsonPropertyDescription(
      "Suspend this policy: agents stop applying its rules; the DaemonSet is left as it is."
          + " Default false.")
  private Boolean paused;

  @Default("false")
  @JsonPropertyDescription(
      "Say who made each realtime change: process, user, container and pod (fanotify). Needs"
          + " SYS_ADMIN and hostPID on the agent pod, which the operator adds only while some"
          + " policy asks for it. Default false.")
  private Boolean attribution;

  /** Bounds the CEL cost of the uniqueness rule on {@link #maintenanceWindows}. */
  public static final int MAX_MAINTENANCE_WINDOWS = 16;

  public static final int MAX_EXPECTED_PROCESSES = 64;

  @Size(max = MAX_MAINTENANCE_WINDOWS)
  @ValidationRule(
      value = "self.all(w, self.exists_one(x, x.name == w.name))",
      message = "maintenance window names must be unique")
  @JsonPropertyDescription(
      "Maintenance windows (issue 17): changes inside one are kept and labelled ChangeExpected,"
          + " ExpectedReason=MaintenanceWindow:<name>. The annotation"
          + " kubefim.io/maintenance-until: <RFC 3339 time> opens an extra window named adhoc"
          + " until then.")
  private List<MaintenanceWindowSpec> maintenanceWindows = new ArrayList<>();

  @Size(max = MAX_EXPECTED_PROCESSES)
  @ValidationRule(
      value = "self.all(p, !p.matches(r'(^|/)[.][.]?(/|$)'))",
      message = "expectedProcesses must not contain . or .. segments")
  @ValidationRule(
      value = FimRule.UNCLOSED_CLASS_RULE,
      message = "a glob character class [ must be closed by ] within its path segment")
  @JsonPropertyDescription(
      "Executables whose changes are expected (with attribution): absolute host paths or globs,"
          + " e.g. /usr/local/bin/node-configurator, /opt/*/bin/updater. Their changes are kept"
          + " and labelled ExpectedReason=Process:<exe>.")
  private List<@Pattern("^/") @Size(min = 1, max = FimRule.MAX_PATH_LENGTH) String>
      expectedProcesses = new ArrayList<>();

  /** Lowest scanRate (bytes per second): below it a scan of a large tree would take days. */
  public static final String MIN_SCAN_RATE = "1Mi";

  public static final int MAX_SCAN_THREADS = 64;

  @Pattern(FimRule.SIZE_PATTERN)
  @JsonPropertyDescription(
      "Bytes per second a scan may read (issue 18; Auditbeat's scan_rate_per_sec), a quantity such"
          + " as 50Mi, at least 1Mi. Realtime work is never throttled. With several policies on a"
          + " node the lowest wins. Default: no limit.")
  private String scanRate;

  @io.fabric8.generator.annotation.Min(1)
  @io.fabric8.generator.annotation.Max(MAX_SCAN_THREADS)
  @JsonPropertyDescription(
      "Threads that read and hash files during a scan (the CPU a scan may take), 1 to 64. With"
          + " several policies on a node the fewest wins. Default: one per core.")
  private Integer scanThreads;

  @io.fabric8.generator.annotation.Min(0)
  @io.fabric8.generator.annotation.Max(19)
  @JsonPropertyDescription(
      "Nice value of the scan threads, 0 to 19 (19: the CPU only when nothing else wants it)."
          + " With several policies on a node the highest wins. Default: the agent's own (0).")
  private Integer scanNice;

  @Pattern("^(idle|best-effort)$")
  @JsonPropertyDescription(
      "I/O scheduling class of the scan threads (ionice): idle (disk time only when no other"
          + " process wants it) or best-effort (lowest level 7). Honoured by the BFQ and"
          + " mq-deadline schedulers. idle wins over best-effort. Default: the agent's own.")
  private String scanIoClass;

  public String getScanRate() {
    return scanRate;
  }

  public void setScanRate(String scanRate) {
    this.scanRate = scanRate;
  }

  public Integer getScanThreads() {
    return scanThreads;
  }

  public void setScanThreads(Integer scanThreads) {
    this.scanThreads = scanThreads;
  }

  public Integer getScanNice() {
    return scanNice;
  }

  public void setScanNice(Integer scanNice) {
    this.scanNice = scanNice;
  }

  public String getScanIoClass() {
    return scanIoClass;
  }

  public void setScanIoClass(String scanIoClass) {
    this.scanIoClass = scanIoClass;
  }

  public List<MaintenanceWindowSpec> getMaintenanceWindows() {
    return maintenanceWindows;
  }

  public void setMaintenanceWindows(List<MaintenanceWindowSpec> maintenanceWindows) {
    this.maintenanceWindows = maintenanceWindows;
  }

  public List<String> getExpectedProcesses() {
    return expectedProcesses;
  }

  public void setExpectedProcesses(List<String> expectedProcesses) {
    this.expectedProcesses = expectedProcesses;
  }

  public LabelSelector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(LabelSelector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public List<FimRule> getRules() {
    return rules;
  }

  public void setRules(List<FimRule> rules) {
    this.rules = rules;
  }

  public Boolean getRealtime() {
    return realtime;
  }

  public void setRealtime(Boolean realtime) {
    this.realtime = realtime;
  }

  public String getScanInterval() {
    return scanInterval;
  }

  public void setScanInterval(String scanInterval) {
    this.scanInterval = scanInterval;
  }

  public String getDebounce() {
    return debounce;
  }

  public void setDebounce(String debounce) {
    this.debounce = debounce;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public void setTags(Map<String, String> tags) {
    this.tags = tags;
  }

  public Boolean getAttribution() {
    return attribution;
  }

  public void setAttribution(Boolean attribution) {
    this.attribution = attribution;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }
}
