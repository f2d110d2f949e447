package io.kubefim.api.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration for every KubeFIM wire format: RFC 3339 instants, unknown fields
 * ignored (newer peers may add fields), no nulls written by the types that say so.
 */
public final class Json {
  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(new YAMLMapper(new YAMLFactory()));

  private Json() {}

  /** A shared, thread-safe JSON mapper. Do not reconfigure it; {@link #newMapper()} for that. */
  public static ObjectMapper mapper() {
    return JSON;
  }

  /** A shared, thread-safe YAML mapper (policy files). */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** A fresh mapper with the KubeFIM configuration, for callers that need their own settings. */
  public static ObjectMapper newMapper() {
    return configure(JsonMapper.builder().build());
  }

  private static ObjectMapper configure(ObjectMapper m) {
    return m.registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
