package io.kubefim.api.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A Windows registry change (SPEC §4, {@code MonitoredEntityType=Registry}), in the columns of
 * Defender for Cloud's MDCFileIntegrityMonitoringEvents, so the seed's registry KQL binds
 * unchanged. Unwrapped into {@link FimEvent}; absent values are omitted. Value data is rendered as
 * MDC renders it (text; REG_BINARY as hex; REG_MULTI_SZ joined) and bounded ({@link
 * #MAX_VALUE_DATA_CHARS}); values under {@code SECURITY\POLICY\SECRETS} carry a SHA-256, never the
 * secret. Mutable, like the event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "RegistryKey",
  "RegistryHive",
  "OldValueName",
  "OldValueType",
  "OldValueData",
  "OldValueFullRegistryKey",
  "NewValueName",
  "NewValueType",
  "NewValueData"
})
public final class RegistryChange {
  /** Longest value data an event carries; longer data is cut (an intruder controls it). */
  public static final int MAX_VALUE_DATA_CHARS = 4096;

  /** The hives a registry rule and event may name. */
  public static final List<String> HIVES =
      List.of(
          "HKEY_LOCAL_MACHINE",
          "HKEY_USERS",
          "HKEY_CURRENT_CONFIG",
          "HKEY_CLASSES_ROOT",
          "HKEY_CURRENT_USER");

  /** The value types, as the registry names them. */
  public static final List<String> VALUE_TYPES =
      List.of(
          "REG_SZ",
          "REG_EXPAND_SZ",
          "REG_MULTI_SZ",
          "REG_DWORD",
          "REG_QWORD",
          "REG_BINARY",
          "REG_NONE",
          "REG_LINK",
          "REG_RESOURCE_LIST",
          "REG_FULL_RESOURCE_DESCRIPTOR",
          "REG_RESOURCE_REQUIREMENTS_LIST",
          "REG_DWORD_BIG_ENDIAN");

  /** The key, without its hive, e.g. {@code SOFTWARE\Microsoft\Windows\CurrentVersion\Run}. */
  @JsonProperty("RegistryKey")
  private String key;

  /** The hive, e.g. {@code HKEY_LOCAL_MACHINE}. */
  @JsonProperty("RegistryHive")
  private String hive;

  @JsonProperty("OldValueName")
  private String oldValueName;

  @JsonProperty("OldValueType")
  private String oldValueType;

  @JsonProperty("OldValueData")
  private String oldValueData;

  /** For RegistryKeyRenamed: the key's old full path (hive included). */
  @JsonProperty("OldValueFullRegistryKey")
  private String oldValueFullRegistryKey;

  @JsonProperty("NewValueName")
  private String newValueName;

  @JsonProperty("NewValueType")
  private String newValueType;

  @JsonProperty("NewValueData")
  private String newValueData;

  public String getKey() {
    return key;
  }

  public RegistryChange setKey(String key) {
    this.key = key;
    return this;
  }

  public String getHive() {
    return hive;
  }

  public RegistryChange setHive(String hive) {
    this.hive = hive;
    return this;
  }

  public String getOldValueName() {
    return oldValueName;
  }

  public RegistryChange setOldValueName(String v) {
    this.oldValueName = v;
    return this;
  }

  public String getOldValueType() {
    return oldValueType;
  }

  public RegistryChange setOldValueType(String v) {
    this.oldValueType = v;
    return this;
  }

  public String getOldValueData() {
    return oldValueData;
  }

  public RegistryChange setOldValueData(String v) {
    this.oldValueData = v;
    return this;
  }

  public String getOldValueFullRegistryKey() {
    return oldValueFullRegistryKey;
  }

  public RegistryChange setOldValueFullRegistryKey(String v) {
    this.oldValueFullRegistryKey = v;
    return this;
  }

  public String getNewValueName() {
    return newValueName;
  }

  public RegistryChange setNewValueName(String v) {
    this.newValueName = v;
    return this;
  }

  public String getNewValueType() {
    return newValueType;
  }

  public RegistryChange setNewValueType(String v) {
    this.newValueType = v;
    return this;
  }

  public String getNewValueData() {
    return newValueData;
  }

  public RegistryChange setNewValueData(String v) {
    this.newValueData = v;
    return this;
  }

  /** True when the event is no registry change. */
  @JsonIgnore
  public boolean isEmpty() {
    return equals(new RegistryChange());
  }

  private List<String> values() {
    return java.util.Arrays.asList(
        key,
        hive,
        oldValueName,
        oldValueType,
        oldValueData,
        oldValueFullRegistryKey,
        newValueName,
        newValueType,
        newValueData);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof RegistryChange r && values().equals(r.values()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(values().toArray());
  }
}
