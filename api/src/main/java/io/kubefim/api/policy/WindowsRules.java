package io.kubefim.api.policy;

import io.kubefim.api.glob.GlobSyntaxException;
import io.kubefim.api.glob.PathGlob;
import io.kubefim.api.windows.RegistryPaths;
import io.kubefim.api.windows.WindowsPaths;
import java.util.List;
import java.util.Optional;

/** The checks of Windows rules (issue 15): Windows paths and registry keys. */
final class WindowsRules {
  private WindowsRules() {}

  /** Why {@code path} is not a valid Windows rule path, or null. */
  static String pathProblem(String path) {
    if (path != null && path.length() > FimRule.MAX_PATH_LENGTH) {
      return "must be at most " + FimRule.MAX_PATH_LENGTH + " characters long";
    }
    Optional<String> p = WindowsPaths.problem(path, true);
    if (p.isPresent()) {
      return p.get();
    }
    PathGlob glob;
    try {
      glob = PathGlob.compile(WindowsPaths.toSlashForm(path)); // as the agent compiles it
    } catch (GlobSyntaxException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      return PolicyValidator.notCompilable(e);
    }
    if (glob.isLiteral() && glob.literalRoot().chars().filter(c -> c == '/').count() == 1) {
      return "must not be a whole drive (" + WindowsPaths.normalize(path) + "): name its folders";
    }
    return null;
  }

  /**
   * Why {@code key} is not a valid registry rule key, or null: a known hive, no empty names, and
   * the wildcards {@code *} and {@code ?} in the last key name only (the seed's {@code OID*}).
   */
  static String registryProblem(String key) {
    if (key != null && key.length() > FimRule.MAX_PATH_LENGTH) {
      return "must be at most " + FimRule.MAX_PATH_LENGTH + " characters long";
    }
    Optional<String> p = RegistryPaths.problem(key);
    if (p.isPresent()) {
      return p.get();
    }
    RegistryPaths.Key k = RegistryPaths.parse(key);
    if (k.path().isEmpty()) {
      return "must name a key below the hive " + k.hive() + ", not the whole hive";
    }
    int last = k.path().lastIndexOf('\\');
    String parents = last < 0 ? k.hive() : k.path().substring(0, last);
    if (parents.indexOf('*') >= 0 || parents.indexOf('?') >= 0) {
      return "a wildcard (* or ?) is allowed in the last key name only: \"" + key + "\"";
    }
    return null;
  }

  /** Registry rules watch keys and values: the file-only fields are a mistake, said so. */
  static void fileOnlyFields(FimRule rule, String at, List<ValidationProblem> out) {
    if (rule.getAttributes() != null && !rule.getAttributes().isEmpty()) {
      out.add(
          new ValidationProblem(
              at + ".attributes", "applies to file paths only, not to registry keys"));
    }
    if (rule.getHashes() != null && !rule.getHashes().isEmpty()) {
      out.add(
          new ValidationProblem(
              at + ".hashes", "applies to file paths only, not to registry keys"));
    }
    if (rule.getMaxFileSize() != null) {
      out.add(
          new ValidationProblem(
              at + ".maxFileSize", "applies to file paths only, not to registry keys"));
    }
  }
}
