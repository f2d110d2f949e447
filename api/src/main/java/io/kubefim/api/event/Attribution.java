package io.kubefim.api.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who made a change (SPEC §4): the process, its user and its container and pod, read by the agent
 * with fanotify and {@code /proc} when a policy asks for {@code attribution}. Unwrapped into {@link
 * FimEvent}: the JSON columns are the event's own, named as Defender for Endpoint names them
 * ({@code InitiatingProcess*}). Absent values are omitted. Mutable, like the event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "InitiatingProcessId",
  "InitiatingProcessName",
  "InitiatingProcessImageFilePath",
  "InitiatingProcessCommandLine",
  "InitiatingProcessCreationTime",
  "InitiatingProcessParentId",
  "InitiatingProcessParentName",
  "InitiatingProcessAccountName",
  "InitiatingProcessPosixUserId",
  "InitiatingProcessLoginUserId",
  "InitiatingProcessLoginAccountName",
  "InitiatingProcessCount",
  "ContainerId",
  "PodUid",
  "PodName",
  "PodNamespace",
  "ContainerName"
})
public final class Attribution {
  /** Longest command line kept; longer ones are cut (an intruder controls the arguments). */
  public static final int MAX_COMMAND_LINE_CHARS = 4096;

  /** Host pid of the process that made the change. */
  @JsonProperty("InitiatingProcessId")
  private Long processId;

  /**
   * Its name ({@code comm}); empty when it had exited before it could be read (ErrorMessage says
   * so).
   */
  @JsonProperty("InitiatingProcessName")
  private String processName;

  /** Its executable, as a host path. */
  @JsonProperty("InitiatingProcessImageFilePath")
  private String processImageFilePath;

  /**
   * Its command line, arguments joined by spaces, cut at {@value #MAX_COMMAND_LINE_CHARS}
   * characters.
   */
  @JsonProperty("InitiatingProcessCommandLine")
  private String processCommandLine;

  /** When it started. */
  @JsonProperty("InitiatingProcessCreationTime")
  private Instant processCreationTime;

  /** Its parent's host pid. */
  @JsonProperty("InitiatingProcessParentId")
  private Long processParentId;

  /** Its parent's name ({@code comm}). */
  @JsonProperty("InitiatingProcessParentName")
  private String processParentName;

  /** Its user: the name from the host's {@code /etc/passwd}, the numeric uid when unknown. */
  @JsonProperty("InitiatingProcessAccountName")
  private String processAccountName;

  /** Its real uid. */
  @JsonProperty("InitiatingProcessPosixUserId")
  private Long processPosixUserId;

  /** Its login uid ({@code /proc/PID/loginuid}) when set: who logged in, also after sudo. */
  @JsonProperty("InitiatingProcessLoginUserId")
  private Long processLoginUserId;

  /** The login uid's user name (numeric when unknown). */
  @JsonProperty("InitiatingProcessLoginAccountName")
  private String processLoginAccountName;

  /**
   * Writers of a burst coalesced into this event, when more than one (the columns above are the
   * last one's).
   */
  @JsonProperty("InitiatingProcessCount")
  private Integer processCount;

  /** The writer's container id (64 hex), from its cgroup; absent for host processes. */
  @JsonProperty("ContainerId")
  private String containerId;

  /**
   * The executables of the writer's parent, grandparent, ... (at most 4), read with the writer; not
   * on the wire: the agent reads it when it labels the event (a maintainer script's shell is dpkg's
   * child, issue 17). An entry is empty when that ancestor's exe was unreadable.
   */
  @JsonIgnore private List<String> ancestorImageFilePaths = List.of();

  /** The writer's pod uid, from its cgroup; absent for host processes. */
  @JsonProperty("PodUid")
  private String podUid;

  /** The writer's pod, from the node's pods. */
  @JsonProperty("PodName")
  private String podName;

  /** The writer's pod namespace. */
  @JsonProperty("PodNamespace")
  private String podNamespace;

  /** The writer's container name in its pod. */
  @JsonProperty("ContainerName")
  private String containerName;

  public Long getProcessId() {
    return processId;
  }

  public Attribution setProcessId(Long processId) {
    this.processId = processId;
    return this;
  }

  public String getProcessName() {
    return processName;
  }

  public Attribution setProcessName(String processName) {
    this.processName = processName;
    return this;
  }

  public String getProcessImageFilePath() {
    return processImageFilePath;
  }

  public Attribution setProcessImageFilePath(String processImageFilePath) {
    this.processImageFilePath = processImageFilePath;
    return this;
  }

  public String getProcessCommandLine() {
    return processCommandLine;
  }

  /** Sets the command line, cut to {@value #MAX_COMMAND_LINE_CHARS} characters. */
  public Attribution setProcessCommandLine(String processCommandLine) {
    if (processCommandLine != null && processCommandLine.length() > MAX_COMMAND_LINE_CHARS) {
      int cut = processCommandLine.length() - MAX_COMMAND_LINE_CHARS;
      processCommandLine =
          processCommandLine.substring(0, MAX_COMMAND_LINE_CHARS)
              + "... ("
              + cut
              + " characters cut)";
    }
    this.processCommandLine = processCommandLine;
    return this;
  }

  public Instant getProcessCreationTime() {
    return processCreationTime;
  }

  public Attribution setProcessCreationTime(Instant processCreationTime) {
    this.processCreationTime = processCreationTime;
    return this;
  }

  public Long getProcessParentId() {
    return processParentId;
  }

  public Attribution setProcessParentId(Long processParentId) {
    this.processParentId = processParentId;
    return this;
  }

  public String getProcessParentName() {
    return processParentName;
  }

  public Attribution setProcessParentName(String processParentName) {
    this.processParentName = processParentName;
    return this;
  }

  public String getProcessAccountName() {
    return processAccountName;
  }

  public Attribution setProcessAccountName(String processAccountName) {
    this.processAccountName = processAccountName;
    return this;
  }

  public Long getProcessPosixUserId() {
    return processPosixUserId;
  }

  public Attribution setProcessPosixUserId(Long processPosixUserId) {
    this.processPosixUserId = processPosixUserId;
    return this;
  }

  public Long getProcessLoginUserId() {
    return processLoginUserId;
  }

  public Attribution setProcessLoginUserId(Long processLoginUserId) {
    this.processLoginUserId = processLoginUserId;
    return this;
  }

  public String getProcessLoginAccountName() {
    return processLoginAccountName;
  }

  public Attribution setProcessLoginAccountName(String processLoginAccountName) {
    this.processLoginAccountName = processLoginAccountName;
    return this;
  }

  public Integer getProcessCount() {
    return processCount;
  }

  public Attribution setProcessCount(Integer processCount) {
    this.processCount = processCount;
    return this;
  }

  public String getContainerId() {
    return containerId;
  }

  public Attribution setContainerId(String containerId) {
    this.containerId = containerId;
    return this;
  }

  public String getPodUid() {
    return podUid;
  }

  public Attribution setPodUid(String podUid) {
    this.podUid = podUid;
    return this;
  }

  public String getPodName() {
    return podName;
  }

  public Attribution setPodName(String podName) {
    this.podName = podName;
    return this;
  }

  public String getPodNamespace() {
    return podNamespace;
  }

  public Attribution setPodNamespace(String podNamespace) {
    this.podNamespace = podNamespace;
    return this;
  }

  public String getContainerName() {
    return containerName;
  }

  public Attribution setContainerName(String containerName) {
    this.containerName = containerName;
    return this;
  }

  /** True when nothing is known about the writer. */
  @JsonIgnore
  public boolean isEmpty() {
    return equals(new Attribution());
  }

  /** The writer's ancestors' executables, parent first; never null (not serialized). */
  @JsonIgnore
  public List<String> getAncestorImageFilePaths() {
    return ancestorImageFilePaths;
  }

  public Attribution setAncestorImageFilePaths(List<String> ancestors) {
    this.ancestorImageFilePaths = ancestors == null ? List.of() : List.copyOf(ancestors);
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Attribution a)) {
      return false;
    }
    return Objects.equals(processId, a.processId)
        && Objects.equals(processName, a.processName)
        && Objects.equals(processImageFilePath, a.processImageFilePath)
        && Objects.equals(processCommandLine, a.processCommandLine)
        && Objects.equals(processCreationTime, a.processCreationTime)
        && Objects.equals(processParentId, a.processParentId)
        && Objects.equals(processParentName, a.processParentName)
        && Objects.equals(processAccountName, a.processAccountName)
        && Objects.equals(processPosixUserId, a.processPosixUserId)
        && Objects.equals(processLoginUserId, a.processLoginUserId)
        && Objects.equals(processLoginAccountName, a.processLoginAccountName)
        && Objects.equals(processCount, a.processCount)
        && Objects.equals(containerId, a.containerId)
        && Objects.equals(podUid, a.podUid)
        && Objects.equals(podName, a.podName)
        && Objects.equals(podNamespace, a.podNamespace)
        && Objects.equals(containerName, a.containerName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        processId,
        processName,
        processImageFilePath,
        processCommandLine,
        processCreationTime,
        processParentId,
        processParentName,
        processAccountName,
        processPosixUserId,
        processLoginUserId,
        processLoginAccountName,
        processCount,
        containerId,
        podUid,
        podName,
        podNamespace,
        containerName);
  }
}
