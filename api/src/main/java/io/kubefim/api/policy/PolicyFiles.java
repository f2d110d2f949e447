package io.kubefim.api.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kubefim.api.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads FimPolicy YAML the way {@code kubectl apply -f} takes it: one file or a directory of {@code
 * *.yaml} / {@code *.yml} files (not its subdirectories, not hidden files; by name), each with one
 * or more documents separated by {@code ---}. Used by config-service's local mode and the agent's
 * {@code --policies}.
 *
 * <p>Stricter than the API server on purpose, since no server stands between a local file and the
 * agent: an unknown field ({@code pahts}), an unknown enum value ({@code sha512}), a duplicate key,
 * a document of another kind and a second policy of the same name are problems, each reported with
 * file, line and field path, e.g. {@code bad.yaml:7: spec.rules[0].hashes[0]: unknown value
 * "sha512" (allowed: sha256, sha1, md5)}. A bad document does not stop the others. Parsing does not
 * validate; see {@link PolicyLoadResult#allProblems()}.
 *
 * <p>Thread-safe; I/O failures are thrown, content problems reported.
 */
public final class PolicyFiles {
  private static final Pattern DOC_START = Pattern.compile("^---(\\s.*)?$");
  private static final Pattern DOC_END = Pattern.compile("^\\.\\.\\.\\s*$");
  private static final ObjectReader READER =
      Json.yaml()
          .readerFor(FimPolicy.class)
          .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private static final ObjectReader TREE_READER =
      Json.yaml().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private PolicyFiles() {}

  /**
   * Reads {@code fileOrDirectory}.
   *
   * @throws IOException when it or a file in it cannot be read (not for bad content)
   */
  public static PolicyLoadResult load(Path fileOrDirectory) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDirectory)) {
      try (Stream<Path> list = Files.list(fileOrDirectory)) {
        list.filter(Files::isRegularFile)
            .filter(PolicyFiles::isPolicyFileName)
            .sorted()
            .forEach(files::add);
      }
    } else {
      files.add(fileOrDirectory);
    }
    List<LoadedPolicy> loaded = new ArrayList<>();
    List<FileProblem> problems = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (CharacterCodingException e) {
        problems.add(new FileProblem(file.toString(), 1, "", "not UTF-8 text"));
        continue;
      }
      PolicyLoadResult one = parse(file.toString(), text);
      loaded.addAll(one.loaded());
      problems.addAll(one.parseProblems());
    }
    return withoutDuplicates(loaded, problems);
  }

  /** Parses YAML text named {@code source} (for messages); several documents allowed. */
  public static PolicyLoadResult parse(String source, String yaml) {
    List<LoadedPolicy> loaded = new ArrayList<>();
    List<FileProblem> problems = new ArrayList<>();
    for (Document doc : split(yaml)) {
      if (doc.isBlank()) {
        continue;
      }
      try {
        JsonNode tree = TREE_READER.readTree(doc.text());
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
          continue; // an explicit null document
        }
        String kindProblem = kindProblem(tree);
        if (kindProblem != null) {
          problems.add(new FileProblem(source, doc.firstLine(), "", kindProblem));
          continue;
        }
        FimPolicy policy = READER.readValue(doc.text());
        loaded.add(new LoadedPolicy(policy, source, doc.firstLine(), fieldLines(doc.text())));
      } catch (JsonProcessingException e) {
        problems.add(YamlErrors.toProblem(source, doc.firstLine(), e));
      } catch (RuntimeException e) {
        // Whatever else a document trips over, it is that document's problem, never the others'.
        problems.add(
            new FileProblem(source, doc.firstLine(), "", "cannot be read: " + e.getMessage()));
      }
    }
    return withoutDuplicates(loaded, problems);
  }

  static boolean isPolicyFileName(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /**
   * Checked on the raw document: Fabric8's CustomResource fills apiVersion and kind from its
   * annotations whatever the document says.
   */
  private static String kindProblem(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText(null);
    String kind = doc.path("kind").asText(null);
    if (!FimPolicy.KIND.equals(kind) || !FimPolicy.API_VERSION.equals(apiVersion)) {
      return "not a FimPolicy: expected apiVersion "
          + FimPolicy.API_VERSION
          + " and kind "
          + FimPolicy.KIND
          + ", found "
          + apiVersion
          + " "
          + kind;
    }
    return null;
  }

  private static PolicyLoadResult withoutDuplicates(
      List<LoadedPolicy> loaded, List<FileProblem> problems) {
    Map<String, LoadedPolicy> byName = new HashMap<>();
    List<LoadedPolicy> unique = new ArrayList<>();
    List<FileProblem> all = new ArrayList<>(problems);
    for (LoadedPolicy p : loaded) {
      String name = p.policy().getMetadata() == null ? null : p.policy().getMetadata().getName();
      LoadedPolicy first = name == null ? null : byName.putIfAbsent(name, p);
      if (first == null) {
        unique.add(p);
      } else {
        all.add(
            p.locate(
                new ValidationProblem(
                    "metadata.name",
                    "duplicate policy name \""
                        + name
                        + "\" (first defined at "
                        + first.source()
                        + ":"
                        + first.line()
                        + ")")));
      }
    }
    return new PolicyLoadResult(unique, all);
  }

  /**
   * Splits a YAML stream into documents. Each document's text is padded with blank lines so the
   * parser's line numbers are the file's.
   */
  static List<Document> split(String yaml) {
    String[] lines = yaml.split("\r?\n", -1);
    List<Document> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int first = 1;
    for (int i = 0; i < lines.length; i++) {
      boolean start = DOC_START.matcher(lines[i]).matches();
      if (start || DOC_END.matcher(lines[i]).matches()) {
        docs.add(new Document(first, current.toString()));
        current = new StringBuilder("\n".repeat(i + 1));
        first = i + 2;
      } else if (i < lines.length - 1 || !lines[i].isEmpty()) {
        current.append(lines[i]).append('\n');
      }
    }
    docs.add(new Document(first, current.toString()));
    return docs;
  }

  /**
   * The line of every field path in one document, e.g. spec.rules[0].paths[1] → 9. Called only on
   * documents that already parsed, so a failure here is a bug.
   */
  static Map<String, Integer> fieldLines(String doc) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = Json.yaml().getFactory().createParser(doc)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        JsonStreamContext ctx = p.getParsingContext();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          ctx = ctx.getParent(); // the container this value is an element or field of
        }
        boolean end = t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY;
        if (t == JsonToken.FIELD_NAME || (!end && ctx != null && ctx.inArray())) {
          lines.putIfAbsent(path(ctx), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a parsed document failed to parse again", e);
    }
    return lines;
  }

  private static String path(JsonStreamContext ctx) {
    StringBuilder b = new StringBuilder();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      String part = c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName();
      b.insert(0, part);
    }
    return b.length() > 0 && b.charAt(0) == '.' ? b.substring(1) : b.toString();
  }

  /** One YAML document: its first line in the file and its line-padded text. */
  record Document(int firstLine, String text) {
    boolean isBlank() {
      return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    }
  }
}
