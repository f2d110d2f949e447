package io.kubefim.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One KubeFIM event (SPEC §4): a file change, a Windows registry change or the agent's own health.
 * JSON names follow Defender for Cloud's MDCFileIntegrityMonitoringEvents table, so existing KQL
 * runs against KubeFimEvents_CL. Absent values are omitted from JSON. Mutable on purpose: the agent
 * fills it in stages (detection, hashing, attribution) and the ingest service enriches it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "TimeGenerated",
  "EventId",
  "Computer",
  "AzureResourceId",
  "ClusterName",
  "MonitoredEntityType",
  "ChangeType",
  "FilePath",
  "FileName",
  "OriginalFilePath",
  "OriginalFileName",
  "FileType",
  "FileSize",
  "PreviousFileSize",
  "FileSha256",
  "PreviousFileSha256",
  "FileSha1",
  "FileMd5",
  "FileMode",
  "PreviousFileMode",
  "FileOwner",
  "PreviousFileOwner",
  "FileGroup",
  "PreviousFileGroup",
  "SymlinkTarget",
  "PreviousSymlinkTarget",
  "FieldsChanged",
  "DetectionSource",
  "PolicyNames",
  "Tags",
  "attribution",
  "registry",
  "expectation",
  "ErrorMessage",
  "Details"
})
public final class FimEvent {
  /** Longest ErrorMessage an event carries; longer ones are cut (ingest allows 16384). */
  public static final int MAX_ERROR_MESSAGE_CHARS = 8192;

  /** The wire format version of this event shape (header X-KubeFIM-Schema on batches). */
  // Optional fields added (ChangeExpected, ExpectedReason: issue 17) keep it: readers ignore what
  // they do not know. It changes only when a field changes meaning or type.
  public static final int SCHEMA_VERSION = 1;

  /** UTC time of the change (detection time for scans). */
  @JsonProperty("TimeGenerated")
  private Instant timeGenerated;

  /** UUID made at detection, stable across retries: the dedup key. */
  @JsonProperty("EventId")
  private String eventId;

  /** Node name. */
  @JsonProperty("Computer")
  private String computer;

  /** Set by ingest-service from its configuration. */
  @JsonProperty("AzureResourceId")
  private String azureResourceId;

  /** Set by ingest-service from its configuration. */
  @JsonProperty("ClusterName")
  private String clusterName;

  /** File, or Agent for agent health events. */
  @JsonProperty("MonitoredEntityType")
  private EntityType monitoredEntityType;

  /** What happened. */
  @JsonProperty("ChangeType")
  private ChangeType changeType;

  /** Host path (without the agent's /host prefix). */
  @JsonProperty("FilePath")
  private String filePath;

  /** Base name of FilePath. */
  @JsonProperty("FileName")
  private String fileName;

  /** For Renamed: the path before. */
  @JsonProperty("OriginalFilePath")
  private String originalFilePath;

  /** For Renamed: the base name before. */
  @JsonProperty("OriginalFileName")
  private String originalFileName;

  /** File, Directory, Symlink or Other. */
  @JsonProperty("FileType")
  private FileType fileType;

  /** Size in bytes now. */
  @JsonProperty("FileSize")
  private Long fileSize;

  /** Size in bytes before. */
  @JsonProperty("PreviousFileSize")
  private Long previousFileSize;

  /** Lowercase hex SHA-256 of the content now. */
  @JsonProperty("FileSha256")
  private String fileSha256;

  /** Lowercase hex SHA-256 before. */
  @JsonProperty("PreviousFileSha256")
  private String previousFileSha256;

  /** Lowercase hex SHA-1, when a rule asks for it. */
  @JsonProperty("FileSha1")
  private String fileSha1;

  /** Lowercase hex MD5, when a rule asks for it. */
  @JsonProperty("FileMd5")
  private String fileMd5;

  /** Permission bits as an octal string, e.g. 0644. */
  @JsonProperty("FileMode")
  private String fileMode;

  /** Permission bits before. */
  @JsonProperty("PreviousFileMode")
  private String previousFileMode;

  /** Numeric owner id now. */
  @JsonProperty("FileOwner")
  private String fileOwner;

  /** Numeric owner id before. */
  @JsonProperty("PreviousFileOwner")
  private String previousFileOwner;

  /** Numeric group id now. */
  @JsonProperty("FileGroup")
  private String fileGroup;

  /** Numeric group id before. */
  @JsonProperty("PreviousFileGroup")
  private String previousFileGroup;

  /** For symlinks: the target now. */
  @JsonProperty("SymlinkTarget")
  private String symlinkTarget;

  /** For symlinks: the target before. */
  @JsonProperty("PreviousSymlinkTarget")
  private String previousSymlinkTarget;

  /** For Modified: what changed. */
  @JsonProperty("FieldsChanged")
  private List<FieldChanged> fieldsChanged;

  /** Realtime or Scan. */
  @JsonProperty("DetectionSource")
  private DetectionSource detectionSource;

  /** Policies whose rules matched. */
  @JsonProperty("PolicyNames")
  private List<String> policyNames;

  /** The matched policies' merged tags. */
  @JsonProperty("Tags")
  private Map<String, String> tags;

  /** Who made the change (realtime, with attribution): unwrapped, its columns are the event's. */
  @JsonUnwrapped private Attribution attribution = new Attribution();

  /** A Windows registry change (MonitoredEntityType Registry): unwrapped, MDC's columns. */
  @JsonUnwrapped private RegistryChange registry = new RegistryChange();

  /**
   * Whether the change was expected, and why (issue 17): unwrapped, ChangeExpected/ExpectedReason.
   */
  @JsonUnwrapped private Expectation expectation = new Expectation();

  /** A per-file problem (unreadable, vanished mid-hash); for agent events the cause. */
  @JsonProperty("ErrorMessage")
  private String errorMessage;

  /** Agent events: what the agent did, in words (counts, config version, gap extent). */
  @JsonProperty("Details")
  private String details;

  public Instant getTimeGenerated() {
    return timeGenerated;
  }

  public FimEvent setTimeGenerated(Instant timeGenerated) {
    this.timeGenerated = timeGenerated;
    return this;
  }

  public String getEventId() {
    return eventId;
  }

  public FimEvent setEventId(String eventId) {
    this.eventId = eventId;
    return this;
  }

  public String getComputer() {
    return computer;
  }

  public FimEvent setComputer(String computer) {
    this.computer = computer;
    return this;
  }

  public String getAzureResourceId() {
    return azureResourceId;
  }

  public FimEvent setAzureResourceId(String azureResourceId) {
    this.azureResourceId = azureResourceId;
    return this;
  }

  public String getClusterName() {
    return clusterName;
  }

  public FimEvent setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  public EntityType getMonitoredEntityType() {
    return monitoredEntityType;
  }

  public FimEvent setMonitoredEntityType(EntityType monitoredEntityType) {
    this.monitoredEntityType = monitoredEntityType;
    return this;
  }

  public ChangeType getChangeType() {
    return changeType;
  }

  public FimEvent setChangeType(ChangeType changeType) {
    this.changeType = changeType;
    return this;
  }

  public String getFilePath() {
    return filePath;
  }

  public FimEvent setFilePath(String filePath) {
    this.filePath = filePath;
    return this;
  }

  public String getFileName() {
    return fileName;
  }

  public FimEvent setFileName(String fileName) {
    this.fileName = fileName;
    return this;
  }

  public String getOriginalFilePath() {
    return originalFilePath;
  }

  public FimEvent setOriginalFilePath(String originalFilePath) {
    this.originalFilePath = originalFilePath;
    return this;
  }

  public String getOriginalFileName() {
    return originalFileName;
  }

  public FimEvent setOriginalFileName(String originalFileName) {
    this.originalFileName = originalFileName;
    return this;
  }

  public FileType getFileType() {
    return fileType;
  }

  public FimEvent setFileType(FileType fileType) {
    this.fileType = fileType;
    return this;
  }

  public Long getFileSize() {
    return fileSize;
  }

  public FimEvent setFileSize(Long fileSize) {
    this.fileSize = fileSize;
    return this;
  }

  public Long getPreviousFileSize() {
    return previousFileSize;
  }

  public FimEvent setPreviousFileSize(Long previousFileSize) {
    this.previousFileSize = previousFileSize;
    return this;
  }

  public String getFileSha256() {
    return fileSha256;
  }

  public FimEvent setFileSha256(String fileSha256) {
    this.fileSha256 = fileSha256;
    return this;
  }

  public String getPreviousFileSha256() {
    return previousFileSha256;
  }

  public FimEvent setPreviousFileSha256(String previousFileSha256) {
    this.previousFileSha256 = previousFileSha256;
    return this;
  }

  public String getFileSha1() {
    return fileSha1;
  }

  public FimEvent setFileSha1(String fileSha1) {
    this.fileSha1 = fileSha1;
    return this;
  }

  public String getFileMd5() {
    return fileMd5;
  }

  public FimEvent setFileMd5(String fileMd5) {
    this.fileMd5 = fileMd5;
    return this;
  }

  public String getFileMode() {
    return fileMode;
  }

  public FimEvent setFileMode(String fileMode) {
    this.fileMode = fileMode;
    return this;
  }

  public String getPreviousFileMode() {
    return previousFileMode;
  }

  public FimEvent setPreviousFileMode(String previousFileMode) {
    this.previousFileMode = previousFileMode;
    return this;
  }

  public String getFileOwner() {
    return fileOwner;
  }

  public FimEvent setFileOwner(String fileOwner) {
    this.fileOwner = fileOwner;
    return this;
  }

  public String getPreviousFileOwner() {
    return previousFileOwner;
  }

  public FimEvent setPreviousFileOwner(String previousFileOwner) {
    this.previousFileOwner = previousFileOwner;
    return this;
  }

  public String getFileGroup() {
    return fileGroup;
  }

  public FimEvent setFileGroup(String fileGroup) {
    this.fileGroup = fileGroup;
    return this;
  }

  public String getPreviousFileGroup() {
    return previousFileGroup;
  }

  public FimEvent setPreviousFileGroup(String previousFileGroup) {
    this.previousFileGroup = previousFileGroup;
    return this;
  }

  public String getSymlinkTarget() {
    return symlinkTarget;
  }

  public FimEvent setSymlinkTarget(String symlinkTarget) {
    this.symlinkTarget = symlinkTarget;
    return this;
  }

  public String getPreviousSymlinkTarget() {
    return previousSymlinkTarget;
  }

  public FimEvent setPreviousSymlinkTarget(String previousSymlinkTarget) {
    this.previousSymlinkTarget = previousSymlinkTarget;
    return this;
  }

  public List<FieldChanged> getFieldsChanged() {
    return fieldsChanged;
  }

  public FimEvent setFieldsChanged(List<FieldChanged> fieldsChanged) {
    this.fieldsChanged = fieldsChanged;
    return this;
  }

  public DetectionSource getDetectionSource() {
    return detectionSource;
  }

  public FimEvent setDetectionSource(DetectionSource detectionSource) {
    this.detectionSource = detectionSource;
    return this;
  }

  public List<String> getPolicyNames() {
    return policyNames;
  }

  public FimEvent setPolicyNames(List<String> policyNames) {
    this.policyNames = policyNames;
    return this;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public FimEvent setTags(Map<String, String> tags) {
    this.tags = tags;
    return this;
  }

  /** Who made the change; never null (empty when unknown). */
  public Attribution getAttribution() {
    return attribution;
  }

  public FimEvent setAttribution(Attribution attribution) {
    this.attribution = attribution == null ? new Attribution() : attribution;
    return this;
  }

  /** The registry change; never null (empty for files and agent events). */
  public RegistryChange getRegistry() {
    return registry;
  }

  public FimEvent setRegistry(RegistryChange registry) {
    this.registry = registry == null ? new RegistryChange() : registry;
    return this;
  }

  /** Whether the change was expected; never null (empty: not expected). */
  public Expectation getExpectation() {
    return expectation;
  }

  public FimEvent setExpectation(Expectation expectation) {
    this.expectation = expectation == null ? new Expectation() : expectation;
    return this;
  }

  public String getErrorMessage() {
    return errorMessage;
  }

  /**
   * Sets the per-file problem, cut to {@value #MAX_ERROR_MESSAGE_CHARS} characters: it often quotes
   * a path, which can be 16384 characters written, and ingest-service refuses longer free text than
   * that, which would cost the whole event.
   */
  public FimEvent setErrorMessage(String errorMessage) {
    if (errorMessage != null && errorMessage.length() > MAX_ERROR_MESSAGE_CHARS) {
      int cut = errorMessage.length() - MAX_ERROR_MESSAGE_CHARS;
      errorMessage =
          errorMessage.substring(0, MAX_ERROR_MESSAGE_CHARS) + "... (" + cut + " characters cut)";
    }
    this.errorMessage = errorMessage;
    return this;
  }

  public String getDetails() {
    return details;
  }

  public FimEvent setDetails(String details) {
    this.details = details;
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FimEvent e)) {
      return false;
    }
    return Objects.equals(timeGenerated, e.timeGenerated)
        && Objects.equals(eventId, e.eventId)
        && Objects.equals(computer, e.computer)
        && Objects.equals(azureResourceId, e.azureResourceId)
        && Objects.equals(clusterName, e.clusterName)
        && Objects.equals(monitoredEntityType, e.monitoredEntityType)
        && Objects.equals(changeType, e.changeType)
        && Objects.equals(filePath, e.filePath)
        && Objects.equals(fileName, e.fileName)
        && Objects.equals(originalFilePath, e.originalFilePath)
        && Objects.equals(originalFileName, e.originalFileName)
        && Objects.equals(fileType, e.fileType)
        && Objects.equals(fileSize, e.fileSize)
        && Objects.equals(previousFileSize, e.previousFileSize)
        && Objects.equals(fileSha256, e.fileSha256)
        && Objects.equals(previousFileSha256, e.previousFileSha256)
        && Objects.equals(fileSha1, e.fileSha1)
        && Objects.equals(fileMd5, e.fileMd5)
        && Objects.equals(fileMode, e.fileMode)
        && Objects.equals(previousFileMode, e.previousFileMode)
        && Objects.equals(fileOwner, e.fileOwner)
        && Objects.equals(previousFileOwner, e.previousFileOwner)
        && Objects.equals(fileGroup, e.fileGroup)
        && Objects.equals(previousFileGroup, e.previousFileGroup)
        && Objects.equals(symlinkTarget, e.symlinkTarget)
        && Objects.equals(previousSymlinkTarget, e.previousSymlinkTarget)
        && Objects.equals(fieldsChanged, e.fieldsChanged)
        && Objects.equals(detectionSource, e.detectionSource)
        && Objects.equals(policyNames, e.policyNames)
        && Objects.equals(tags, e.tags)
        && Objects.equals(attribution, e.attribution)
        && Objects.equals(registry, e.registry)
        && Objects.equals(expectation, e.expectation)
        && Objects.equals(errorMessage, e.errorMessage)
        && Objects.equals(details, e.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        timeGenerated,
        eventId,
        computer,
        azureResourceId,
        clusterName,
        monitoredEntityType,
        changeType,
        filePath,
        fileName,
        originalFilePath,
        originalFileName,
        fileType,
        fileSize,
        previousFileSize,
        fileSha256,
        previousFileSha256,
        fileSha1,
        fileMd5,
        fileMode,
        previousFileMode,
        fileOwner,
        previousFileOwner,
        fileGroup,
        previousFileGroup,
        symlinkTarget,
        previousSymlinkTarget,
        fieldsChanged,
        detectionSource,
        policyNames,
        tags,
        attribution,
        registry,
        expectation,
        errorMessage,
        details);
  }

  @Override
  public String toString() {
    return "FimEvent{" + eventId + " " + changeType + " " + filePath + "}";
  }
}
