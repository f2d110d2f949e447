package io.kubefim.agent.config;

import io.kubefim.api.config.AgentConfig;

/**
 * Where the agent's rules come from: a directory of FimPolicy YAML today ({@code --policies}),
 * config-service later ({@code --config-url}, long-poll with ETag).
 */
public interface ConfigSource {
  /**
   * The current config for this node. Blocking; called once at start.
   *
   * @throws InvalidConfigException when the policies are invalid (exit 64 for {@code check})
   */
  AgentConfig load() throws InvalidConfigException;

  /** Thrown for an invalid policy or config; the message names every problem. */
  final class InvalidConfigException extends Exception {
    public InvalidConfigException(String message) {
      super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
