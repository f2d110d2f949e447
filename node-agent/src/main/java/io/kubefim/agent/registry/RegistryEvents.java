package io.kubefim.agent.registry;

import io.kubefim.agent.engine.EventFactory;
import io.kubefim.agent.registry.RegistryDiff.Change;
import io.kubefim.api.config.AgentRule;
import io.kubefim.api.event.DetectionSource;
import io.kubefim.api.event.EntityType;
import io.kubefim.api.event.FimEvent;
import io.kubefim.api.event.RegistryChange;

/** Builds the SPEC §4 event of one registry change ({@code MonitoredEntityType=Registry}). */
final class RegistryEvents {
  private RegistryEvents() {}

  static FimEvent event(EventFactory events, Change c, AgentRule rule, DetectionSource source) {
    // the factory makes time, EventId and Computer as for every event; then it is a registry one
    FimEvent e = events.agent(c.type(), null, null).setMonitoredEntityType(EntityType.Registry);
    e.setDetectionSource(source);
    e.setPolicyNames(rule.policyNames().isEmpty() ? null : rule.policyNames());
    e.setTags(rule.tags().isEmpty() ? null : rule.tags());
    RegistryChange r = new RegistryChange().setHive(c.key().hive()).setKey(c.key().path());
    if (c.before() != null) {
      r.setOldValueName(c.before().name())
          .setOldValueType(c.before().type())
          .setOldValueData(c.before().data());
    }
    if (c.after() != null) {
      r.setNewValueName(c.after().name())
          .setNewValueType(c.after().type())
          .setNewValueData(c.after().data());
    }
    return events.labelled(e.setRegistry(r)); // windows label registry changes too
  }
}
