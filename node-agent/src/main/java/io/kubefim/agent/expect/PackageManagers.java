package io.kubefim.agent.expect;

import java.util.Set;

/**
 * The executables whose changes are a node's own package management (issue 17, list and sources in
 * docs/agent.md): an exe whose directory is a system binary directory and whose name is one of
 * {@link #NAMES}. Matched on the writer's exe as a host path; an exe of the same name elsewhere
 * (e.g. {@code /tmp/dpkg}) is not a package manager.
 */
final class PackageManagers {
  static final Set<String> DIRECTORIES = Set.of("/usr/bin", "/usr/sbin", "/bin", "/sbin");

  static final Set<String> NAMES =
      Set.of(
          // Debian, Ubuntu (AKS node images)
          "dpkg",
          "apt",
          "apt-get",
          "unattended-upgrade",
          "unattended-upgrades",
          // RHEL, Fedora, Amazon Linux, Mariner / Azure Linux
          "rpm",
          "dnf",
          "dnf-3",
          "yum",
          "microdnf",
          "tdnf",
          // SUSE, Alpine
          "zypper",
          "apk",
          // image-based node updaters
          "rpm-ostree",
          "bootc",
          "transactional-update",
          "update_engine",
          "updog");

  private PackageManagers() {}

  static boolean isPackageManager(String exe) {
    int slash = exe.lastIndexOf('/');
    if (slash <= 0) {
      return false;
    }
    return DIRECTORIES.contains(exe.substring(0, slash))
        && NAMES.contains(exe.substring(slash + 1));
  }
}
