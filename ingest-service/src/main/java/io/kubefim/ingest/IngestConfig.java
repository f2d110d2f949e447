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
    STDOUT
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
}
