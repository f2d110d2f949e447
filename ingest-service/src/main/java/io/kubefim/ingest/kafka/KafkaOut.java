package io.kubefim.ingest.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The emitter of channel {@value KafkaSink#CHANNEL}, in a bean of its own: a normal-scoped bean is
 * created on first use, so where the channel is switched off ({@link KafkaChannelSwitch}) and the
 * kafka sink is therefore never called, the emitter is never injected (which would fail: a disabled
 * channel has no downstream).
 */
@ApplicationScoped
public class KafkaOut {
  /*
   * Unbounded: what is in this buffer is bounded upstream (admission: in-flight batches and bytes;
   * the groups the lanes deliver), and a full buffer would fail a batch that the producer could
   * still take. The connector sends up to max-inflight-messages at once.
   */
  @Inject
  @Channel(KafkaSink.CHANNEL)
  @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
  Emitter<String> emitter;

  /** Hands one record to the connector; its ack/nack says what the broker did. */
  public void send(Message<String> record) {
    emitter.send(record);
  }
}
