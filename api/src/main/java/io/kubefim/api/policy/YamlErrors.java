package io.kubefim.api.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kubefim.api.json.Json;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns a Jackson failure on one YAML document into a {@link FileProblem} a human can act on. */
final class YamlErrors {
  private YamlErrors() {}

  static FileProblem toProblem(String source, int documentLine, JsonProcessingException e) {
    MarkedYAMLException yaml = find(e, MarkedYAMLException.class);
    if (yaml != null) {
      // Report where the broken construct starts (the context), else where parsing gave up.
      Mark mark = yaml.getContextMark() != null ? yaml.getContextMark() : yaml.getProblemMark();
      String what =
          yaml.getContext() == null
              ? yaml.getProblem()
              : yaml.getContext() + "; " + yaml.getProblem();
      int line = mark == null ? documentLine : mark.getLine() + 1;
      return new FileProblem(source, line, "", "not valid YAML: " + what);
    }
    StreamReadException syntax = find(e, StreamReadException.class);
    JsonProcessingException located = syntax != null ? syntax : e;
    JsonLocation at = located.getLocation();
    int line = at == null || at.getLineNr() < 1 ? documentLine : at.getLineNr();
    if (syntax != null || !(e instanceof JsonMappingException m)) {
      return new FileProblem(
          source, line, "", "not valid YAML: " + firstLine(located.getOriginalMessage()));
    }
    return new FileProblem(source, line, fieldPath(m), message(m));
  }

  /** The first throwable of {@code type} in the cause chain of {@code e}, or null. */
  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String message(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      return "unknown field \""
          + u.getPropertyName()
          + "\" (known: "
          + String.join(", ", known)
          + ")";
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
      Class<?> type = f.getTargetType();
      if (type.isEnum()) {
        return "unknown value \"" + f.getValue() + "\" (allowed: " + enumNames(type) + ")";
      }
      return "invalid value \"" + f.getValue() + "\" (expected " + expected(type) + ")";
    }
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      return "expected " + expected(mi.getTargetType());
    }
    return firstLine(e.getOriginalMessage());
  }

  /** The field path of a mapping failure, e.g. spec.rules[0].hashes[0]. */
  static String fieldPath(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** The JSON names of an enum's constants, in declaration order. */
  private static String enumNames(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> Json.mapper().convertValue(c, String.class))
        .collect(Collectors.joining(", "));
  }

  private static String expected(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    return "an object";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
