package io.kubefim.config.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubefim.api.config.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code GET /v1/nodes/{node}/config}, byte for byte what the REST layer's Jackson
 * would write, without serializing the rules per answer: the nodes that share one compiled rule
 * list ({@link io.kubefim.api.compile.PolicySet}) share one serialized template, and each answer
 * only fills in its version and node name. After a policy edit every waiting agent is answered at
 * once, so this is the per-agent cost of the fan-out.
 *
 * <p>Templates are keyed by the identity of the config's policy and rule lists (equal content in
 * other list instances only costs another template), at most {@link #MAX_TEMPLATES}, least recently
 * used dropped. Thread-safe.
 */
@ApplicationScoped
public class ConfigBodies {
  static final int MAX_TEMPLATES = 256;
  private static final String VERSION_MARK = "\u0000version";
  private static final String NODE_MARK = "\u0000node";

  private final ObjectMapper mapper;
  private final Map<ListsKey, Template> templates =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ListsKey, Template> eldest) {
              return size() > MAX_TEMPLATES;
            }
          });

  @Inject
  public ConfigBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The config as JSON (UTF-8). */
  public byte[] json(AgentConfig config) {
    if (config.version() == null || config.node() == null) {
      return plain(config); // NON_NULL leaves the field out: no place to fill in
    }
    ListsKey key = new ListsKey(config.policies(), config.rules());
    Template t = templates.get(key);
    if (t == null) {
      t = Template.of(plain(withMarks(config)));
      templates.put(key, t);
    }
    return t == Template.NONE ? plain(config) : t.fill(config.version(), config.node());
  }

  /** Templates held now; for tests. */
  int templates() {
    return templates.size();
  }

  private byte[] plain(AgentConfig config) {
    try {
      return mapper.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the config of node " + config.node(), e);
    }
  }

  private static AgentConfig withMarks(AgentConfig c) {
    return new AgentConfig(c.formatVersion(), VERSION_MARK, NODE_MARK, c.policies(), c.rules());
  }

  /** The serialized config with two holes: the version's and the node's JSON string contents. */
  private record Template(byte[] json, int versionAt, int versionEnd, int nodeAt, int nodeEnd) {
    static final Template NONE = new Template(new byte[0], 0, 0, 0, 0);

    static Template of(byte[] json) {
      byte[] version = quoted(VERSION_MARK);
      byte[] node = quoted(NODE_MARK);
      int v = indexOf(json, version, 0);
      int n = v < 0 ? -1 : indexOf(json, node, v + version.length);
      if (v < 0 || n < 0) {
        return NONE; // a serializer that writes the fields otherwise: serialize every answer
      }
      return new Template(json, v, v + version.length, n, n + node.length);
    }

    byte[] fill(String version, String node) {
      byte[] v = JsonStringEncoder.getInstance().quoteAsUTF8(version);
      byte[] n = JsonStringEncoder.getInstance().quoteAsUTF8(node);
      byte[] out =
          new byte
              [json.length - (versionEnd - versionAt) - (nodeEnd - nodeAt) + v.length + n.length];
      int o = 0;
      System.arraycopy(json, 0, out, o, versionAt);
      o += versionAt;
      System.arraycopy(v, 0, out, o, v.length);
      o += v.length;
      System.arraycopy(json, versionEnd, out, o, nodeAt - versionEnd);
      o += nodeAt - versionEnd;
      System.arraycopy(n, 0, out, o, n.length);
      o += n.length;
      System.arraycopy(json, nodeEnd, out, o, json.length - nodeEnd);
      return out;
    }

    /** The mark as it appears inside its JSON string ({@code \u0000} escaped). */
    private static byte[] quoted(String mark) {
      return new String(JsonStringEncoder.getInstance().quoteAsString(mark))
          .getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
      outer:
      for (int i = from; i <= hay.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  /** Two lists compared by identity: the compiled lists nodes share. */
  private record ListsKey(List<?> policies, List<?> rules) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ListsKey k && k.policies == policies && k.rules == rules;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(policies) + System.identityHashCode(rules);
    }
  }
}
