package io.kubefim.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Typed configuration of the ingest service, prefix {@code kubefim.ingest}. */
@ConfigMapping(prefix = "kubefim.ingest")
public interface IngestConfig {

  /** Where a sink is: the batch goes to every configured one, in the order store, azure, stdout. */
  enum SinkKind {
    /** The embedded store (H2 file by default, PostgreSQL by JDBC URL). */
    STORE,
    /** Azure Monitor Logs Ingestion API (DCR stream into KubeFimEvents_CL). */
    AZURE,
    /** One JSON line per event on standard output, for log shippers. */
    STDOUT,
    /**
     * One record per event on a Kafka topic (or Azure Event Hubs' Kafka endpoint), keyed by
     * Computer; relay replicas carry them on to their own sinks ({@code kubefim.ingest.kafka.*}).
     */
    KAFKA
  }

  /**
   * The sinks every accepted batch goes to, comma separated: {@code store}, {@code azure}, {@code
   * stdout}.
   */
  @WithDefault("store")
  Set<SinkKind> sinks();

  /**
   * Written into every event's AzureResourceId (the cluster's ARM id); absent: the agent's value
   * stays.
   */
  Optional<String> azureResourceId();

  /** Written into every event's ClusterName; absent: the agent's value stays. */
  Optional<String> clusterName();

  /** Request limits of {@code POST /v1/events}. */
  Receive receive();

  /** The channel between receiver and sinks. */
  Pipeline pipeline();

  /** The embedded store and its query endpoints. */
  Store store();

  /** The Azure Monitor Logs Ingestion sink. */
  Azure azure();

  /** The kafka sink and the relay that consumes its topic. */
  Kafka kafka();

  /** Request limits. */
  interface Receive {
    /** Largest request body, after gzip decompression; larger answers 413. */
    @WithDefault("4194304")
    int maxRequestBytes();

    /** Most events in one batch; more answers 413. */
    @WithDefault("5000")
    int maxEventsPerBatch();

    /**
     * Longest path field in characters: PATH_MAX (4096 bytes) with every byte written as the
     * agent's four-character {@code \xNN} escape (a name that is not UTF-8).
     */
    @WithDefault("16384")
    int maxPathChars();

    /** Longest free-text field (ErrorMessage, Details) in characters. */
    @WithDefault("16384")
    int maxTextChars();

    /**
     * How far TimeGenerated may be ahead of this service's clock. Beyond it the event is refused
     * (400 naming the field), not clamped: a made-up time would sit in an audit timeline as if the
     * node had said it, and a node whose clock runs ahead must be seen. A far-future time (year
     * 9999) would otherwise stay at the top of every "newest first" view and outlive retention by
     * time.
     */
    @WithDefault("1h")
    java.time.Duration maxFutureSkew();
  }

  /** Backpressure and acknowledgement of the channel. */
  interface Pipeline {
    /**
     * Batches admitted at once (parsed, in the channel or in a sink). One more answers 429 before
     * its body is read. Many small batches may wait together: group delivery writes them in one
     * transaction (one upload), so this is what lets single-event batches from many nodes through.
     * Must stay below 1024 (the channel's buffer). Memory is held to {@code max-in-flight-bytes},
     * not by this count: refused requests do not keep their bodies (receive/UnreadBody).
     */
    @WithDefault("256")
    int maxInFlightBatches();

    /**
     * Request bytes (after gunzip) admitted at once, charged as bodies are read: a body that does
     * not fit answers 429. This bounds memory under a flood at about this many bytes times the
     * parse overhead, whatever the batch size. Default: 8 batches of {@code max-request-bytes}.
     */
    @WithDefault("33554432")
    long maxInFlightBytes();

    /**
     * How long a request that finds no batch permit waits for one (in arrival order, on the event
     * loop, its body not yet read) before it is answered 429. Zero: 429 at once.
     */
    @WithDefault("5s")
    Duration admissionWait();

    /** Requests waiting for a permit at most; one more is answered 429 at once. */
    @WithDefault("4096")
    int maxWaiting();

    /**
     * Most events delivered to the sinks as one group (one store transaction, one set of uploads):
     * batches waiting when a lane is free are merged up to this many events; a larger batch goes
     * alone.
     */
    @WithDefault("5000")
    int maxGroupEvents();

    /**
     * Groups in the sinks at once (threads delivering). Each lane takes every batch waiting when it
     * becomes free, so a slower sink makes groups bigger, not queues longer.
     */
    @WithDefault("4")
    int sinkLanes();

    /**
     * How long a request waits for every sink to take its batch; then 503 with Retry-After (the
     * agent keeps the batch and retries; EventId dedup makes the retry safe).
     */
    @WithDefault("30s")
    Duration ackTimeout();

    /** Retry-After sent with 429 (admission full) and with 503 when no better figure is known. */
    @WithDefault("2s")
    Duration retryAfter();

    /** EventIds of recently delivered events kept in memory to drop duplicates before the sinks. */
    @WithDefault("100000")
    int recentEventIds();
  }

  /** The embedded store. */
  interface Store {
    /**
     * The Quarkus datasource the store uses: {@code <default>} (H2 file) or {@code postgresql}
     * (activate it with {@code quarkus.datasource.postgresql.active=true} and its JDBC URL).
     */
    @WithDefault("<default>")
    String datasource();

    /**
     * H2 only: fsync the file after every batch before answering 202, so an acknowledged batch
     * survives a power loss or a kernel crash, not only the death of the process (every commit is
     * written to the file in any case). Off saves one fsync per batch (docs/benchmarks-ingest.md).
     */
    @WithDefault("true")
    boolean fsync();

    /**
     * How long an event is kept after it was received; older ones are deleted (the newest row never
     * is). 90 days: the span PCI DSS 10.5.1 wants immediately at hand; the system of record for
     * longer is Azure (or the log shipper's store), not this store.
     */
    @WithDefault("90d")
    Duration retention();

    /**
     * Most events kept; beyond it the oldest (by arrival) are deleted. An event took 3.2 KB of H2
     * file with its indexes in the benchmark, and up to 10 KB right after a burst (H2 reuses the
     * space of rewritten pages only later), so the default fits the chart's 5 GiB volume.
     */
    @WithDefault("500000")
    long maxEvents();

    /** How often the retention bounds are enforced (and once at start-up). */
    @WithDefault("10m")
    Duration retentionInterval();

    /** Events returned by {@code GET /v1/events} when no limit is given. */
    @WithDefault("100")
    int defaultLimit();

    /** Largest accepted {@code limit} of {@code GET /v1/events}. */
    @WithDefault("1000")
    int maxLimit();
  }

  /** The Azure Monitor Logs Ingestion sink. */
  interface Azure {
    /**
     * Logs ingestion endpoint of the DCR (or its DCE), e.g.
     * https://my-dcr-abcd.westeurope-1.ingest.monitor.azure.com.
     */
    Optional<String> endpoint();

    /** The DCR's immutable id, {@code dcr-...}. */
    Optional<String> ruleId();

    /** The DCR stream declared for KubeFIM events. */
    @WithDefault("Custom-KubeFimEvents")
    String streamName();

    /**
     * Credential: {@code default} (DefaultAzureCredential: workload identity on AKS, environment,
     * managed identity), {@code client-secret} or {@code managed-identity}.
     */
    @WithDefault("default")
    String credential();

    /** Entra tenant id (client-secret; optional for default, where AZURE_TENANT_ID also works). */
    Optional<String> tenantId();

    /** Client id of the app registration or user-assigned identity. */
    Optional<String> clientId();

    /** Client secret for {@code credential=client-secret}; never logged. */
    Optional<String> clientSecret();

    /** Entra authority host when not the public cloud (sovereign clouds, tests). */
    Optional<String> authorityHost();

    /** Federated token file for workload identity when not given by AZURE_FEDERATED_TOKEN_FILE. */
    Optional<String> federatedTokenFile();

    /** Skip Entra instance discovery (private authority hosts). */
    @WithDefault("false")
    boolean disableInstanceDiscovery();

    /** Largest serialized upload in bytes before gzip; the service takes 1 MB per call. */
    @WithDefault("1000000")
    int maxUploadBytes();

    /** Retries of one call by the SDK's retry policy (429 honouring Retry-After, 408, 5xx). */
    @WithDefault("3")
    int maxRetries();

    /** First back-off of the SDK's retry policy when the service gives no Retry-After. */
    @WithDefault("800ms")
    Duration retryBaseDelay();

    /** Longest back-off of the SDK's retry policy. */
    @WithDefault("20s")
    Duration retryMaxDelay();

    /** How long one batch may take across all its uploads and retries before the sink gives up. */
    @WithDefault("25s")
    Duration uploadTimeout();

    /**
     * After a 403 readiness reports DOWN with the cause this long, then goes UP again so the next
     * batch tries (a role assignment may have been fixed meanwhile).
     */
    @WithDefault("60s")
    Duration forbiddenRecheck();
  }

  /**
   * The kafka sink and the relay (io.kubefim.ingest.kafka). Client settings are handed to the
   * SmallRye Kafka connector by {@code KafkaClientSettings}; any other Kafka client property can
   * still be set on the channels ({@code mp.messaging.outgoing.kubefim-kafka-out.*}, {@code
   * mp.messaging.incoming.kubefim-kafka-relay.*}).
   */
  interface Kafka {
    /**
     * Brokers to bootstrap from, {@code host:port,...}; Event Hubs: {@code
     * NAMESPACE.servicebus.windows.net:9093}.
     */
    @WithDefault("localhost:9092")
    String bootstrapServers();

    /** The topic (Event Hubs: the event hub) every event is published to and the relay reads. */
    @WithDefault("kubefim-events")
    String topic();

    /** Kafka {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (Event Hubs). */
    @WithDefault("PLAINTEXT")
    String securityProtocol();

    /** Kafka {@code sasl.mechanism}, e.g. PLAIN (Event Hubs), SCRAM-SHA-512. */
    Optional<String> saslMechanism();

    /**
     * Kafka {@code sasl.jaas.config}; a secret: give it by the environment variable {@code
     * KUBEFIM_INGEST_KAFKA_SASL_JAAS_CONFIG} from a Kubernetes Secret. Never logged.
     */
    Optional<String> saslJaasConfig();

    /**
     * Upper bound on the time between handing a record to the producer and its acknowledgement by
     * every in-sync replica (producer {@code delivery.timeout.ms}, also {@code max.block.ms}); the
     * sink fails the batch (503) when this has passed. Keep it below {@code pipeline.ack-timeout}.
     */
    @WithDefault("25s")
    Duration deliveryTimeout();

    /** Producer and consumer {@code request.timeout.ms}: one request to a broker. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * Producer {@code max.request.size} in bytes. Event Hubs refuses requests of 1,046,528 bytes or
     * more; one event (at most a few 16 KiB fields) is far below it.
     */
    @WithDefault("1000000")
    int maxRequestSize();

    /** The relay: a replica that consumes the topic into its own sinks. */
    Relay relay();

    /** Relay mode. */
    interface Relay {
      /**
       * Consume {@code topic} as consumer group {@code group} and deliver the events to {@code
       * kubefim.ingest.sinks} (which must not name kafka), committing offsets only after every sink
       * took them.
       */
      @WithDefault("false")
      boolean enabled();

      /** Consumer group of the relay replicas (each partition goes to one of them). */
      @WithDefault("kubefim-relay")
      String group();

      /** Most records polled, and so delivered to the sinks, at once ({@code max.poll.records}). */
      @WithDefault("500")
      int maxBatchEvents();

      /** First wait before a batch the sinks refused is delivered again; doubles per failure. */
      @WithDefault("1s")
      Duration retryInitialBackoff();

      /** Longest wait between two deliveries of a refused batch (it is retried until it goes). */
      @WithDefault("30s")
      Duration retryMaxBackoff();
    }
  }
}
