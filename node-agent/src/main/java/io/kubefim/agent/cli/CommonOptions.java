package io.kubefim.agent.cli;

import io.kubefim.api.event.NodeNames;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code run} and {@code check}. */
final class CommonOptions {
  @Option(
      names = "--state",
      required = true,
      paramLabel = "DIR",
      description = "Baseline and outbox directory (created when missing).")
  Path state;

  @Option(
      names = "--host-root",
      paramLabel = "DIR",
      defaultValue = "/",
      description =
          "Where the host file system is mounted (default /; /host in the DaemonSet). Events carry host paths without it.")
  Path hostRoot;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description =
          "Node name for events, a Kubernetes node name (default: NODE_NAME, else the host name"
              + " made into one: lower-cased, other characters as '-').")
  String node;

  String nodeName() {
    if (node != null && !node.isBlank()) {
      return node;
    }
    String env = System.getenv("NODE_NAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String windows = System.getenv("COMPUTERNAME"); // Windows has no procfs (issue 15)
    if (windows != null && !windows.isBlank() && !Files.exists(Path.of("/proc/sys"))) {
      return NodeNames.fromHostname(windows);
    }
    try {
      // procfs files report size 0: read the stream to its end
      try (var in = Files.newInputStream(Path.of("/proc/sys/kernel/hostname"))) {
        return NodeNames.fromHostname(
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (Exception e) {
      return "localhost";
    }
  }
}
