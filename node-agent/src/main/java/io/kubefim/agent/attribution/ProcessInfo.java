package io.kubefim.agent.attribution;

import java.time.Instant;

/**
 * What {@code /proc/PID} said about a process while it was still that process.
 *
 * @param pid host pid
 * @param startTicks start time in clock ticks since boot ({@code stat} field 22): with the pid, the
 *     process's identity (a reused pid has another start time)
 * @param creationTime the start time as a time
 * @param ppid parent pid
 * @param comm process name ({@code stat}); null when unknown
 * @param exe executable as the process sees it (its mount namespace); null when unreadable (a
 *     zombie, a kernel thread)
 * @param commandLine arguments joined by spaces; null when empty (a zombie, a kernel thread)
 * @param uid real uid, -1 when unknown
 * @param loginUid login uid ({@code loginuid}), -1 when unset
 * @param cgroup container and pod
 * @param zombie it had exited (not yet reaped) when read: comm and parent are its own, exe, command
 *     line and cgroup are gone
 */
public record ProcessInfo(
    long pid,
    long startTicks,
    Instant creationTime,
    long ppid,
    String comm,
    String exe,
    String commandLine,
    long uid,
    long loginUid,
    CgroupIdentity cgroup,
    boolean zombie) {}
