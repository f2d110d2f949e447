package io.kubefim.ingest.receive;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubefim.api.event.Attribution;
import io.kubefim.api.event.ChangeType;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.Expectation;
import io.kubefim.api.event.FieldChanged;
import io.kubefim.api.event.FileType;
import io.kubefim.api.event.NodeNames;
import io.kubefim.api.event.RegistryChange;
import io.kubefim.api.windows.RegistryPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks one event tree against SPEC §4 and reports every problem at once, each naming its field.
 * Strict on types (a number where a string belongs is refused, not coerced); unknown fields are
 * ignored (newer agents may add some) and never reach a sink. Pure and thread-safe.
 */
public final class EventValidator {
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern OCTAL_MODE = Pattern.compile("[0-7]{3,6}");
  private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,10}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CONTAINER_ID = SHA256;

  private static final int MAX_NAME = 253;
  private static final int MAX_LIST = 64;

  /**
   * Longest command line: the agent's cut ({@link Attribution#MAX_COMMAND_LINE_CHARS}) plus its
   * {@code "... (N characters cut)"} suffix, with room for any N.
   */
  static final int MAX_COMMAND_LINE = Attribution.MAX_COMMAND_LINE_CHARS + 64;

  /** Longest registry value data: the agent's cut plus its suffix, as for command lines. */
  static final int MAX_VALUE_DATA = RegistryChange.MAX_VALUE_DATA_CHARS + 64;

  /** Longest exe (or window name) after an ExpectedReason's prefix. */
  static final int MAX_REASON_PART = 4096;

  /** Longest ExpectedReason as a whole: its part and the longest prefix, with room to spare. */
  static final int MAX_EXPECTED_REASON = 4200;

  /** ExpectedReason's prefixed forms; the fourth form is {@link Expectation#ADHOC} alone. */
  private static final List<String> REASON_PREFIXES =
      List.of(Expectation.MAINTENANCE_WINDOW, Expectation.PACKAGE_MANAGER, Expectation.PROCESS);

  private enum Kind {
    TIME,
    EVENT_TIME,
    NODE,
    UUID,
    NAME,
    PATH,
    BASENAME,
    TEXT,
    LONG,
    COUNT,
    COMMAND_LINE,
    CONTAINER_ID,
    ENTITY,
    CHANGE,
    FILE_TYPE,
    SOURCE,
    SHA256,
    SHA1,
    MD5,
    MODE,
    ID,
    FIELDS,
    NAMES,
    TAGS,
    HIVE,
    REGISTRY_KEY,
    REGISTRY_FULL_KEY,
    VALUE_TYPE,
    VALUE_DATA,
    BOOLEAN,
    EXPECTED_REASON
  }

  /** Every field of SPEC §4 and how it is checked; the order is the report order. */
  private static final Map<String, Kind> FIELDS = new LinkedHashMap<>();

  static {
    FIELDS.put("TimeGenerated", Kind.EVENT_TIME);
    FIELDS.put("EventId", Kind.UUID);
    FIELDS.put("Computer", Kind.NODE);
    FIELDS.put("AzureResourceId", Kind.TEXT);
    FIELDS.put("ClusterName", Kind.NAME);
    FIELDS.put("MonitoredEntityType", Kind.ENTITY);
    FIELDS.put("ChangeType", Kind.CHANGE);
    FIELDS.put("FilePath", Kind.PATH);
    FIELDS.put("FileName", Kind.BASENAME);
    FIELDS.put("OriginalFilePath", Kind.PATH);
    FIELDS.put("OriginalFileName", Kind.BASENAME);
    FIELDS.put("FileType", Kind.FILE_TYPE);
    FIELDS.put("FileSize", Kind.LONG);
    FIELDS.put("PreviousFileSize", Kind.LONG);
    FIELDS.put("FileSha256", Kind.SHA256);
    FIELDS.put("PreviousFileSha256", Kind.SHA256);
    FIELDS.put("FileSha1", Kind.SHA1);
    FIELDS.put("FileMd5", Kind.MD5);
    FIELDS.put("FileMode", Kind.MODE);
    FIELDS.put("PreviousFileMode", Kind.MODE);
    FIELDS.put("FileOwner", Kind.ID);
    FIELDS.put("PreviousFileOwner", Kind.ID);
    FIELDS.put("FileGroup", Kind.ID);
    FIELDS.put("PreviousFileGroup", Kind.ID);
    FIELDS.put("SymlinkTarget", Kind.PATH);
    FIELDS.put("PreviousSymlinkTarget", Kind.PATH);
    FIELDS.put("FieldsChanged", Kind.FIELDS);
    FIELDS.put("DetectionSource", Kind.SOURCE);
    FIELDS.put("PolicyNames", Kind.NAMES);
    FIELDS.put("Tags", Kind.TAGS);
    // Attribution (who did it), in its column order; an intruder controls names and command lines
    FIELDS.put("InitiatingProcessId", Kind.LONG);
    FIELDS.put("InitiatingProcessName", Kind.BASENAME);
    FIELDS.put("InitiatingProcessImageFilePath", Kind.PATH);
    FIELDS.put("InitiatingProcessCommandLine", Kind.COMMAND_LINE);
    FIELDS.put("InitiatingProcessCreationTime", Kind.TIME);
    FIELDS.put("InitiatingProcessParentId", Kind.LONG);
    FIELDS.put("InitiatingProcessParentName", Kind.BASENAME);
    FIELDS.put("InitiatingProcessAccountName", Kind.NAME);
    FIELDS.put("InitiatingProcessPosixUserId", Kind.LONG);
    FIELDS.put("InitiatingProcessLoginUserId", Kind.LONG);
    FIELDS.put("InitiatingProcessLoginAccountName", Kind.NAME);
    FIELDS.put("InitiatingProcessCount", Kind.COUNT);
    FIELDS.put("ContainerId", Kind.CONTAINER_ID);
    FIELDS.put("PodUid", Kind.UUID);
    FIELDS.put("PodName", Kind.NAME);
    FIELDS.put("PodNamespace", Kind.NAME);
    FIELDS.put("ContainerName", Kind.NAME);
    // Windows registry changes (MDC's columns); an intruder controls value names and data
    FIELDS.put("RegistryKey", Kind.REGISTRY_KEY);
    FIELDS.put("RegistryHive", Kind.HIVE);
    FIELDS.put("OldValueName", Kind.TEXT);
    FIELDS.put("OldValueType", Kind.VALUE_TYPE);
    FIELDS.put("OldValueData", Kind.VALUE_DATA);
    FIELDS.put("OldValueFullRegistryKey", Kind.REGISTRY_FULL_KEY);
    FIELDS.put("NewValueName", Kind.TEXT);
    FIELDS.put("NewValueType", Kind.VALUE_TYPE);
    FIELDS.put("NewValueData", Kind.VALUE_DATA);
    // Expected changes (issue 17): each requires the other (crossChecks)
    FIELDS.put("ChangeExpected", Kind.BOOLEAN);
    FIELDS.put("ExpectedReason", Kind.EXPECTED_REASON);
    FIELDS.put("ErrorMessage", Kind.TEXT);
    FIELDS.put("Details", Kind.TEXT);
  }

  private static final Set<String> REQUIRED =
      Set.of("TimeGenerated", "EventId", "Computer", "MonitoredEntityType", "ChangeType");

  private final int maxPathChars;
  private final Duration maxFutureSkew;
  private final Clock clock;
  private final int maxTextChars;

  /** With a TimeGenerated at most one hour ahead of the system clock. */
  public EventValidator(int maxPathChars, int maxTextChars) {
    this(maxPathChars, maxTextChars, Duration.ofHours(1), Clock.systemUTC());
  }

  /**
   * @param maxFutureSkew how far TimeGenerated may be ahead of {@code clock}
   */
  public EventValidator(int maxPathChars, int maxTextChars, Duration maxFutureSkew, Clock clock) {
    this.maxFutureSkew = maxFutureSkew;
    this.clock = clock;
    this.maxPathChars = maxPathChars;
    this.maxTextChars = maxTextChars;
  }

  /** The field names this validator knows: every column of SPEC §4. */
  public static Set<String> fieldNames() {
    return FIELDS.keySet();
  }

  /** Every problem of the event; empty when it is valid. */
  public List<String> problems(JsonNode event) {
    List<String> problems = new ArrayList<>();
    if (event == null || !event.isObject()) {
      problems.add("expected a JSON object, got " + describe(event));
      return problems;
    }
    for (Map.Entry<String, Kind> field : FIELDS.entrySet()) {
      JsonNode value = event.get(field.getKey());
      if (value == null || value.isNull()) {
        if (REQUIRED.contains(field.getKey())) {
          problems.add(field.getKey() + ": missing");
        }
        continue;
      }
      String problem = check(field.getValue(), value);
      if (problem != null) {
        problems.add(field.getKey() + ": " + problem);
      }
    }
    crossChecks(event, problems);
    return problems;
  }

  private void crossChecks(JsonNode event, List<String> problems) {
    EntityType entity = enumOrNull(EntityType.class, event.get("MonitoredEntityType"));
    ChangeType change = enumOrNull(ChangeType.class, event.get("ChangeType"));
    if (entity != null && change != null && entityOf(change) != entity) {
      problems.add(
          "ChangeType: "
              + change
              + " is "
              + article(entityOf(change))
              + " change, not one of "
              + article(entity));
    }
    if (entity == EntityType.Registry) {
      for (String f : List.of("RegistryHive", "RegistryKey")) {
        if (isAbsent(event.get(f))) {
          problems.add(f + ": missing (required for MonitoredEntityType Registry)");
        }
      }
    }
    if (entity == EntityType.File && isAbsent(event.get("FilePath"))) {
      problems.add("FilePath: missing (required for MonitoredEntityType File)");
    }
    if (change == ChangeType.Renamed && isAbsent(event.get("OriginalFilePath"))) {
      problems.add("OriginalFilePath: missing (required for ChangeType Renamed)");
    }
    boolean expected =
        event.path("ChangeExpected").isBoolean() && event.get("ChangeExpected").asBoolean();
    JsonNode reason = event.get("ExpectedReason");
    if (expected && isAbsent(reason)) {
      problems.add("ExpectedReason: missing (required when ChangeExpected is true)");
    }
    if (!isAbsent(reason) && !expected && !isPresentButNotBoolean(event.get("ChangeExpected"))) {
      problems.add("ExpectedReason: given without ChangeExpected true");
    }
  }

  /** A value the type check already reported: no second problem for the same field. */
  private static boolean isPresentButNotBoolean(JsonNode v) {
    return !isAbsent(v) && !v.isBoolean();
  }

  /**
   * {@code MaintenanceWindow:<name>}, {@code adhoc}, {@code PackageManager:<exe>} or {@code
   * Process:<exe>}: the part after the prefix non-blank, at most {@link #MAX_REASON_PART}.
   */
  private static String expectedReason(JsonNode v) {
    String problem = text(v, MAX_EXPECTED_REASON, true);
    if (problem != null) {
      return problem;
    }
    String s = v.textValue();
    if (s.equals(Expectation.ADHOC)) {
      return null;
    }
    for (String prefix : REASON_PREFIXES) {
      if (s.startsWith(prefix)) {
        String part = s.substring(prefix.length());
        if (part.isBlank()) {
          return "nothing after \"" + prefix + "\"";
        }
        if (part.length() > MAX_REASON_PART) {
          return "the part after \""
              + prefix
              + "\" has "
              + part.length()
              + " characters, more than "
              + MAX_REASON_PART;
        }
        if (part.indexOf('\0') >= 0) {
          return "contains a NUL character";
        }
        return null;
      }
    }
    return "expected MaintenanceWindow:<name>, adhoc, PackageManager:<exe> or Process:<exe>, got \""
        + abbreviate(s)
        + "\"";
  }

  private static String article(EntityType e) {
    return (e == EntityType.Agent ? "an " : "a ") + e;
  }

  private static EntityType entityOf(ChangeType c) {
    return c.isFileChange()
        ? EntityType.File
        : c.isRegistryChange() ? EntityType.Registry : EntityType.Agent;
  }

  private String hive(JsonNode v) {
    String problem = text(v, MAX_NAME, true);
    if (problem != null) {
      return problem;
    }
    return RegistryChange.HIVES.contains(v.textValue())
        ? null
        : "expected one of " + RegistryChange.HIVES + ", got \"" + abbreviate(v.textValue()) + "\"";
  }

  /** A key below its hive: names separated by backslashes, none empty. */
  private static String registryKey(JsonNode v) {
    if (!v.isTextual()) {
      return "expected a string, got " + describe(v);
    }
    return RegistryPaths.problem("HKLM\\" + v.textValue()).orElse(null);
  }

  private static String registryFullKey(JsonNode v) {
    if (!v.isTextual()) {
      return "expected a string, got " + describe(v);
    }
    return RegistryPaths.problem(v.textValue()).orElse(null);
  }

  private static String oneOf(JsonNode v, List<String> allowed) {
    if (!v.isTextual() || !allowed.contains(v.textValue())) {
      return "expected one of " + allowed + ", got " + describe(v);
    }
    return null;
  }

  private String check(Kind kind, JsonNode v) {
    return switch (kind) {
      case TIME -> time(v);
      case EVENT_TIME -> eventTime(v);
      case UUID -> pattern(v, UUID, 36, "a UUID");
      case NODE -> nodeName(v);
      case NAME -> text(v, MAX_NAME, true);
      case TEXT -> text(v, maxTextChars, false);
      case BASENAME -> basename(v);
      case PATH -> path(v);
      case LONG -> nonNegativeLong(v);
      case COUNT -> positiveInt(v);
      case COMMAND_LINE -> text(v, MAX_COMMAND_LINE, false);
      case CONTAINER_ID ->
          pattern(v, CONTAINER_ID, 64, "a container id of 64 lowercase hex digits");
      case ENTITY -> enumValue(v, EntityType.class);
      case CHANGE -> enumValue(v, ChangeType.class);
      case FILE_TYPE -> enumValue(v, FileType.class);
      case SOURCE -> enumValue(v, DetectionSource.class);
      case SHA256 -> pattern(v, SHA256, 64, "64 lowercase hex digits");
      case SHA1 -> pattern(v, SHA1, 40, "40 lowercase hex digits");
      case MD5 -> pattern(v, MD5, 32, "32 lowercase hex digits");
      case MODE -> pattern(v, OCTAL_MODE, 6, "an octal mode string such as 0644");
      case ID -> pattern(v, NUMERIC_ID, 10, "a numeric id as a string such as \"0\"");
      case FIELDS -> fieldsChanged(v);
      case NAMES -> names(v);
      case TAGS -> tags(v);
      case HIVE -> hive(v);
      case REGISTRY_KEY -> registryKey(v);
      case REGISTRY_FULL_KEY -> registryFullKey(v);
      case VALUE_TYPE -> oneOf(v, RegistryChange.VALUE_TYPES);
      case VALUE_DATA -> text(v, MAX_VALUE_DATA, false);
      case BOOLEAN -> v.isBoolean() ? null : "expected true or false, got " + describe(v);
      case EXPECTED_REASON -> expectedReason(v);
    };
  }

  private static String time(JsonNode v) {
    if (!v.isTextual()) {
      return "expected an RFC 3339 time string, got " + describe(v);
    }
    if (v.textValue().length() > 40) {
      return "expected an RFC 3339 time string, got " + v.textValue().length() + " characters";
    }
    try {
      OffsetDateTime.parse(v.textValue());
      return null;
    } catch (DateTimeParseException e) {
      return "not an RFC 3339 time with offset: \"" + v.textValue() + "\"";
    }
  }

  /** A time, and not further ahead of this service's clock than {@code maxFutureSkew}. */
  private String eventTime(JsonNode v) {
    String problem = time(v);
    if (problem != null) {
      return problem;
    }
    java.time.Instant t = OffsetDateTime.parse(v.textValue()).toInstant();
    java.time.Instant limit = clock.instant().plus(maxFutureSkew);
    if (t.isAfter(limit)) {
      return "\""
          + v.textValue()
          + "\" is more than "
          + maxFutureSkew.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
          + " ahead of this service's clock (kubefim.ingest.receive.max-future-skew): the"
          + " node's clock is wrong";
    }
    return null;
  }

  private static String pattern(JsonNode v, Pattern p, int maxLength, String what) {
    if (!v.isTextual()) {
      return "expected " + what + ", got " + describe(v);
    }
    String s = v.textValue();
    if (s.length() > maxLength || !p.matcher(s).matches()) {
      return "expected " + what + ", got \"" + abbreviate(s) + "\"";
    }
    return null;
  }

  /**
   * Computer is a Kubernetes node name ({@link NodeNames}): an agent that could send any Computer
   * could put markup, or another node's look-alike, into the machines page and the Azure table.
   */
  private static String nodeName(JsonNode v) {
    if (v.isTextual() && NodeNames.isValid(v.textValue())) {
      return null;
    }
    return "expected a Kubernetes node name (a DNS-1123 subdomain: lowercase letters, digits, '-'"
        + " and '.', at most 253), got "
        + (v.isTextual() ? "\"" + abbreviate(v.textValue()) + "\"" : describe(v));
  }

  private static String text(JsonNode v, int max, boolean nonBlank) {
    if (!v.isTextual()) {
      return "expected a string, got " + describe(v);
    }
    String s = v.textValue();
    if (s.length() > max) {
      return s.length() + " characters, more than " + max;
    }
    if (nonBlank && s.isBlank()) {
      return "blank";
    }
    return null;
  }

  private String basename(JsonNode v) {
    String problem = text(v, maxPathChars, false);
    if (problem == null && v.textValue().indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    return problem;
  }

  private String path(JsonNode v) {
    String problem = text(v, maxPathChars, true);
    if (problem != null) {
      return problem;
    }
    String s = v.textValue();
    if (WindowsPaths.looksWindows(s)) {
      return WindowsPaths.problem(s, false).orElse(null); // a Windows node's file
    }
    if (!s.startsWith("/")) {
      return "not an absolute path: \"" + abbreviate(s) + "\"";
    }
    if (s.indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    for (String segment : s.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        return "not a normalized path (has a '" + segment + "' segment): \"" + abbreviate(s) + "\"";
      }
    }
    return null;
  }

  private static String nonNegativeLong(JsonNode v) {
    if (!v.isIntegralNumber()) {
      return "expected a whole number, got " + describe(v);
    }
    if (!v.canConvertToLong() || v.longValue() < 0) {
      return "expected a whole number from 0 to " + Long.MAX_VALUE + ", got " + v.asText();
    }
    return null;
  }

  private static String positiveInt(JsonNode v) {
    if (!v.isIntegralNumber()) {
      return "expected a whole number, got " + describe(v);
    }
    if (!v.canConvertToInt() || v.intValue() < 1) {
      return "expected a whole number from 1 to " + Integer.MAX_VALUE + ", got " + v.asText();
    }
    return null;
  }

  private static <E extends Enum<E>> String enumValue(JsonNode v, Class<E> type) {
    if (!v.isTextual()) {
      return "expected one of " + names(type) + ", got " + describe(v);
    }
    if (enumOrNull(type, v) == null) {
      return "unknown value \"" + abbreviate(v.textValue()) + "\", expected one of " + names(type);
    }
    return null;
  }

  private static String fieldsChanged(JsonNode v) {
    if (!v.isArray()) {
      return "expected an array of " + names(FieldChanged.class) + ", got " + describe(v);
    }
    if (v.size() > FieldChanged.values().length) {
      return "more entries than there are fields";
    }
    for (JsonNode item : v) {
      String problem = enumValue(item, FieldChanged.class);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String names(JsonNode v) {
    if (!v.isArray()) {
      return "expected an array of strings, got " + describe(v);
    }
    if (v.size() > MAX_LIST) {
      return v.size() + " entries, more than " + MAX_LIST;
    }
    for (JsonNode item : v) {
      String problem = text(item, MAX_NAME, true);
      if (problem != null) {
        return "entry " + problem;
      }
    }
    return null;
  }

  private static String tags(JsonNode v) {
    if (!v.isObject()) {
      return "expected an object of string values, got " + describe(v);
    }
    if (v.size() > MAX_LIST) {
      return v.size() + " entries, more than " + MAX_LIST;
    }
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> tag = it.next();
      if (tag.getKey().length() > MAX_NAME) {
        return "tag name of " + tag.getKey().length() + " characters, more than " + MAX_NAME;
      }
      String problem = text(tag.getValue(), 1024, false);
      if (problem != null) {
        return "tag \"" + abbreviate(tag.getKey()) + "\": " + problem;
      }
    }
    return null;
  }

  private static <E extends Enum<E>> E enumOrNull(Class<E> type, JsonNode v) {
    if (v == null || !v.isTextual()) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v.textValue())) {
        return e;
      }
    }
    return null;
  }

  private static boolean isAbsent(JsonNode v) {
    return v == null || v.isNull();
  }

  private static String names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }

  private static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
