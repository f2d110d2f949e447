package io.kubefim.api.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kubefim.api.config.AgentConfig;
import io.kubefim.api.config.AgentConfig.AppliedPolicy;
import io.kubefim.api.config.AgentRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The content version of an {@link AgentConfig}: the first 16 hex digits of the SHA-256 of its
 * canonical JSON (properties and map keys sorted, no whitespace) with the {@code version} and
 * {@code node} fields left out, followed by a zero byte and the node name in UTF-8. Used as the
 * config-service ETag. The node comes last so that the nodes sharing one compiled rule list ({@link
 * PolicySet}) hash that list once: {@link Body#forNode} only finishes a copy of the digest.
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
    return body(config.formatVersion(), config.policies(), config.rules()).forNode(config.node());
  }

  /** The digest of everything but the node, to finish per node with {@link Body#forNode}. */
  public static Body body(int formatVersion, List<AppliedPolicy> policies, List<AgentRule> rules) {
    try {
      byte[] json =
          CANONICAL.writeValueAsBytes(new AgentConfig(formatVersion, null, null, policies, rules));
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(json);
      return new Body(digest);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash an AgentConfig", e);
    }
  }

  /** A config's digest without its node. Immutable; safe from any thread. */
  public static final class Body {
    private final MessageDigest digest;

    private Body(MessageDigest digest) {
      this.digest = digest;
    }

    /** The version of this body compiled for {@code node} (null: no node). */
    public String forNode(String node) {
      MessageDigest d;
      try {
        d = (MessageDigest) digest.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digest cannot be copied", e);
      }
      d.update((byte) 0);
      if (node != null) {
        d.update(node.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(d.digest(), 0, 8);
    }
  }
}
