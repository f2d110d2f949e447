package io.kubefim.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule of a {@link FimPolicy}: a set of host paths (Linux {@code /etc} or Windows {@code
 * C:\Windows\win.ini}) or of Windows registry keys, and how to watch them. One rule, one OS: paths
 * of one kind, or registry keys ({@code NodeOs}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.paths) && size(self.paths) > 0) != (has(self.registry) &&"
            + " size(self.registry) > 0)",
    message = "a rule has paths or registry keys: one of them, not both")
public class FimRule {
  /**
   * Kubernetes quantity syntax for a whole byte size, e.g. 64Mi, 1G, 1048576 (no 'K': Kubernetes
   * spells kilo 'k').
   */
  public static final String SIZE_PATTERN = "^[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?$";

  /**
   * Bounds that keep the CEL rules below within the API server's cost budget (rules are checked per
   * path, so every list and string they see must be bounded).
   */
  public static final int MAX_PATHS = 128;

  public static final int MAX_FILTERS = 64;
  public static final int MAX_PATH_LENGTH = 1024;

  /**
   * Big enough that every binary of a node is hashed whole (kubelet, containerd and the like are 50
   * to 150 MiB); larger files are compared on sampled blocks (docs/agent.md).
   */
  public static final String DEFAULT_MAX_FILE_SIZE = "1Gi";

  /**
   * CEL over a list of globs: no {@code [} (unescaped) is left open to the end of its segment. The
   * one glob check CEL can say; the rest (e.g. a reversed range {@code [z-a]}, which RE2 cannot
   * compare) only {@link PolicyValidator} finds, by compiling every glob as the agent does.
   */
  static final String UNCLOSED_CLASS_RULE =
      "self.all(p, !p.matches(r'(^|[^\\\\])\\[[^\\]/]*(/|$)'))";

  /** A Linux path ({@code /}) or a Windows path with a drive ({@code C:\} or {@code C:/}). */
  public static final String PATH_PATTERN = "^(/|[A-Za-z]:[\\\\/])";

  /** A registry key of a hive the registry has, by its full name or abbreviation, any case. */
  public static final String REGISTRY_PATTERN =
      "^(?i)(HKLM|HKU|HKCC|HKCR|HKCU|HKEY_LOCAL_MACHINE|HKEY_USERS|HKEY_CURRENT_CONFIG"
          + "|HKEY_CLASSES_ROOT|HKEY_CURRENT_USER)([\\\\/]|$)";

  @Size(min = 1, max = MAX_PATHS)
  @ValidationRule(
      value = "self.all(p, !p.matches(r'(^|[/\\\\])[.][.]?([/\\\\]|$)'))",
      message = "paths must not contain . or .. segments")
  @ValidationRule(
      value = "self.all(p, p.matches('[^/]') && !p.matches(r'^[A-Za-z]:[\\\\/]?$'))",
      message = "a path must not be the host root / or a whole drive C:\\")
  @ValidationRule(
      value = UNCLOSED_CLASS_RULE,
      message = "a glob character class [ must be closed by ] within its path segment")
  @JsonPropertyDescription(
      "Absolute host paths to monitor: files, directories or globs (* ? [..] within a segment,"
          + " ** across segments), e.g. /etc/*.conf, /etc/crontab, /usr/bin. On Windows nodes:"
          + " C:\\Windows\\win.ini, C:\\app\\*.config (names compare without case).")
  private List<@Pattern(PATH_PATTERN) @Size(min = 1, max = MAX_PATH_LENGTH) String> paths =
      new ArrayList<>();

  @Size(min = 1, max = MAX_PATHS)
  @JsonPropertyDescription(
      "Windows registry keys to monitor (Windows nodes), e.g."
          + " HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run. '*' and '?' in the"
          + " last key name are wildcards (...\\Cryptography\\OID* is every key whose name"
          + " starts with OID). recursive covers subkeys; include and exclude match value names.")
  private List<@Pattern(REGISTRY_PATTERN) @Size(min = 1, max = MAX_PATH_LENGTH) String> registry;

  @Default("true")
  @JsonPropertyDescription(
      "For a directory: monitor its whole subtree (true, the default) or only its direct"
          + " entries (false).")
  private Boolean recursive;

  @JsonPropertyDescription(
      "Only files matching one of these globs are monitored (empty: all). A pattern without"
          + " '/' matches the base name at any depth.")
  @ValidationRule(
      value = UNCLOSED_CLASS_RULE,
      message = "a glob character class [ must be closed by ] within its path segment")
  @Size(max = MAX_FILTERS)
  private List<@Size(min = 1, max = MAX_PATH_LENGTH) String> include = new ArrayList<>();

  @JsonPropertyDescription(
      "Files matching one of these globs are not monitored, e.g. *.swp. A pattern without '/'"
          + " matches the base name at any depth.")
  @ValidationRule(
      value = UNCLOSED_CLASS_RULE,
      message = "a glob character class [ must be closed by ] within its path segment")
  @Size(max = MAX_FILTERS)
  private List<@Size(min = 1, max = MAX_PATH_LENGTH) String> exclude = new ArrayList<>();

  @JsonPropertyDescription(
      "What counts as a change: content, size, permissions, owner, group, symlinkTarget."
          + " Default: all.")
  private List<Attribute> attributes = new ArrayList<>();

  @JsonPropertyDescription(
      "Content hashes recorded on events: sha256 (default), sha1, md5 (as the Defender for"
          + " Cloud columns).")
  private List<HashAlgorithm> hashes = new ArrayList<>();

  @Pattern(SIZE_PATTERN)
  @JsonPropertyDescription(
      "Files larger than this are not hashed whole: their content is compared on sampled blocks"
          + " (the first, the last and 16 between, 64 KiB each) and their events say so."
          + " Quantity, e.g. 1Gi (the default).")
  private String maxFileSize;

  public List<String> getPaths() {
    return paths;
  }

  public List<String> getRegistry() {
    return registry;
  }

  public void setRegistry(List<String> registry) {
    this.registry = registry;
  }

  public void setPaths(List<String> paths) {
    this.paths = paths;
  }

  public Boolean getRecursive() {
    return recursive;
  }

  public void setRecursive(Boolean recursive) {
    this.recursive = recursive;
  }

  public List<String> getInclude() {
    return include;
  }

  public void setInclude(List<String> include) {
    this.include = include;
  }

  public List<String> getExclude() {
    return exclude;
  }

  public void setExclude(List<String> exclude) {
    this.exclude = exclude;
  }

  public List<Attribute> getAttributes() {
    return attributes;
  }

  public void setAttributes(List<Attribute> attributes) {
    this.attributes = attributes;
  }

  public List<HashAlgorithm> getHashes() {
    return hashes;
  }

  public void setHashes(List<HashAlgorithm> hashes) {
    this.hashes = hashes;
  }

  public String getMaxFileSize() {
    return maxFileSize;
  }

  public void setMaxFileSize(String maxFileSize) {
    this.maxFileSize = maxFileSize;
  }
}
