package io.kubefim.api.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kubefim.api.config.AgentConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content version of an {@link AgentConfig}: the first 16 hex digits of the SHA-256 of its
 * canonical JSON (properties and map keys sorted, no whitespace, the {@code version} field left
 * out). Used as the config-service ETag.
 */
public final class ConfigVersion {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private ConfigVersion() {}

  /** The version of {@code config}, ignoring whatever its {@code version} field holds. */
  public static String of(AgentConfig config) {
    AgentConfig unversioned =
        new AgentConfig(
            config.formatVersion(), null, config.node(), config.policies(), config.rules());
    try {
      byte[] json = CANONICAL.writeValueAsBytes(unversioned);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash an AgentConfig", e);
    }
  }
}
