package io.kubefim.agent.registry;

/**
 * A value as the snapshot keeps it: enough to detect a change (type and digest of the data) and to
 * report it (the data rendered for the event). The clear data is not kept: a value longer than the
 * event's bound is still compared in full, and a secret's data never reaches the state database.
 *
 * @param name value name, as the registry spells it ("" for the default value)
 * @param type the type's name ({@code REG_SZ}, ...: one of RegistryChange.VALUE_TYPES)
 * @param digest lowercase hex SHA-256 of the data bytes
 * @param data the data as the event carries it ({@link ValueRendering})
 */
public record ValueState(String name, String type, String digest, String data) {
  /** True when the value's type or data differ from {@code o}'s. */
  public boolean differs(ValueState o) {
    return !type.equals(o.type) || !digest.equals(o.digest);
  }
}
