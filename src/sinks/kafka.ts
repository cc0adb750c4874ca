import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Kafka, Partitioners, logLevel, type KafkaConfig, type LogEntry, type Message, type Producer, type SASLOptions } from 'kafkajs';
import type { ZakConfig } from '../config/defaults.js';
import { ConfigError, ZakocrError, errorMessage } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { redact } from '../core/redact.js';
import type { Logger, RunContext, Sink, ZakRecord } from '../core/types.js';

/** Version of the event payloads below; bumped on breaking changes to them. */
export const EVENT_VERSION = 1;
export const EVENT_SCHEMAS = {
  completed: 'zakocr.ocr.completed',
  product: 'zakocr.product.detected',
  failed: 'zakocr.ocr.failed',
} as const;

/** One produce request stays below the brokers' default 1 MiB `message.max.bytes`/request budget. */
const MAX_REQUEST_BYTES = 800 * 1024;
/** kafkajs' own in-request retries (the delivery wrapper does the real retrying; idempotence needs ≥ 1). */
const CLIENT_RETRIES = 1;
const CONNECT_TIMEOUT_MS = 3_000;
/** Broker errors that no retry can fix: the batch goes to the dead-letter file at once. */
const PERMANENT_ERRORS = new Set([
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION', 'UNSUPPORTED_VERSION', 'SASL_AUTHENTICATION_FAILED',
]);

export interface KafkaOut {
  topic: string;
  message: Message & { key: string; value: string };
}

/**
 * The events of one record (pure): `ocr.completed` for ok/needs-review records, `ocr.failed` for failed
 * ones, plus `product.detected` when the record has barcodes. Key = sha256 (the path when the bytes could
 * not be read), so a file's events stay in order on one partition. `eventId` lets consumers drop the
 * repeats an at-least-once retry can cause. Skipped records (delivered by an earlier run) yield nothing.
 */
export function recordEvents(r: ZakRecord, topics: ZakConfig['kafka']['topics'], occurredAt: string): KafkaOut[] {
  if (r.status === 'skipped') return [];
  const key = r.sha256 || r.file;
  const id = `${key}:${r.page ?? '-'}:${r.pipelineVersion}`;
  const out: KafkaOut[] = [];
  // One header only: each costs kafkajs two buffers per message, and the value carries the rest.
  const push = (topic: string, schema: string, eventId: string, body: Record<string, unknown>) =>
    out.push({
      topic,
      message: {
        key,
        value: JSON.stringify({
          schema, version: EVENT_VERSION, eventId, occurredAt, runId: r.runId, pipelineVersion: r.pipelineVersion,
          sha256: r.sha256 || null, page: r.page, file: r.file, ...body,
        }),
        headers: { 'zakocr-schema': schema },
      },
    });
  if (r.status === 'failed') {
    push(topics.failed, EVENT_SCHEMAS.failed, `${id}:failed`, { bytes: r.bytes, error: r.error });
    return out;
  }
  push(topics.completed, EVENT_SCHEMAS.completed, `${id}:completed`, { status: r.status, docType: r.docType, record: r });
  if (r.barcodes.length > 0) {
    const f = r.fields;
    push(topics.product, EVENT_SCHEMAS.product, `${id}:product`, {
      barcodes: r.barcodes.map((b) => ({ format: b.format, text: b.text, valid: b.valid, gtin: b.gtin ?? null })),
      product: r.product,
      name: f.productName?.value ?? null,
      price: f.price ? { value: f.price.value, currency: f.price.currency ?? f.currency?.value ?? null } : null,
      unit: f.quantity?.unit ?? null,
    });
  }
  return out;
}

/** Splits messages into produce requests of at most `maxBytes` (a larger single message goes alone). Pure. */
export function chunkBySize(items: KafkaOut[], maxBytes = MAX_REQUEST_BYTES): KafkaOut[][] {
  const chunks: KafkaOut[][] = [];
  let cur: KafkaOut[] = [];
  let size = 0;
  for (const it of items) {
    const n = it.message.value.length + it.message.key.length + 64;
    if (cur.length > 0 && size + n > maxBytes) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(it);
    size += n;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** kafkajs client options from the `kafka.*` keys: TLS and SASL passed through for real clusters. */
export function kafkaClientConfig(cfg: ZakConfig['kafka'], readCa: (file: string) => string = (f) => readFileSync(f, 'utf8')): KafkaConfig {
  if (cfg.brokers.length === 0) throw new ConfigError('kafka.brokers', 'Expected at least one host:port for kafka.brokers, got [] (array)');
  let sasl: SASLOptions | undefined;
  if (cfg.saslMechanism) {
    if (!cfg.saslUsername || !cfg.saslPassword) {
      throw new ConfigError('kafka.saslUsername', `kafka.saslMechanism ${cfg.saslMechanism} needs kafka.saslUsername and kafka.saslPassword (ZAKOCR_KAFKA_SASL_PASSWORD)`);
    }
    sasl = { mechanism: cfg.saslMechanism as 'plain', username: cfg.saslUsername, password: cfg.saslPassword };
  }
  let ssl: KafkaConfig['ssl'] = cfg.ssl || undefined;
  if (cfg.sslCa) {
    if (!cfg.ssl) throw new ConfigError('kafka.sslCa', 'kafka.sslCa is set but kafka.ssl is false: set kafka.ssl to true');
    try {
      ssl = { ca: [readCa(cfg.sslCa)] };
    } catch (err) {
      throw new ConfigError('kafka.sslCa', `Cannot read kafka.sslCa ${cfg.sslCa}: ${errorMessage(err)}`);
    }
  }
  return {
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    ssl,
    sasl,
    connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, cfg.timeoutMs),
    requestTimeout: cfg.timeoutMs,
    retry: { retries: CLIENT_RETRIES, initialRetryTime: 100, maxRetryTime: 1_000 },
  };
}

let shimmed = false;
/**
 * InitProducerId for a non-transactional (idempotent) producer may go to any broker (KIP-98), but kafkajs
 * sends it to the controller named in the metadata. Clusters that report a controller id which is not
 * one of their brokers (librdkafka's mock cluster says 0 while its broker is 1) would then never start
 * an idempotent producer, so when the controller is unknown we fall back to a known broker.
 */
function allowAnyBrokerForProducerId(): void {
  if (shimmed) return;
  shimmed = true;
  const Cluster = createRequire(import.meta.url)('kafkajs/src/cluster/index.js') as {
    prototype: { findControllerBroker(): Promise<unknown>; findBroker(q: { nodeId: number }): Promise<unknown>; brokerPool: { metadata?: { brokers?: Array<{ nodeId: number }> } } };
  };
  const original = Cluster.prototype.findControllerBroker;
  Cluster.prototype.findControllerBroker = async function (this: typeof Cluster.prototype) {
    try {
      return await original.call(this);
    } catch (err) {
      const known = this.brokerPool.metadata?.brokers?.[0];
      if ((err as Error).name !== 'KafkaJSBrokerNotFound' || !known) throw err;
      return this.findBroker({ nodeId: known.nodeId });
    }
  };
}

/** Routes kafkajs' own logging to ours at debug level (the delivery wrapper reports failures). */
function logCreatorFor(log: Logger | null, secrets: string[]) {
  return () => (entry: LogEntry) => {
    if (entry.level === logLevel.NOTHING) return;
    log?.debug(`kafka: ${redact(entry.log.message, secrets)}`, { namespace: entry.namespace });
  };
}

/** A broker error no retry can fix (too large, not authorised): dead-letter at once. */
export class PermanentKafkaFailure extends ZakocrError {
  readonly retriable = false;
  constructor(message: string) {
    super('sink_permanent', message, ExitCode.sinkFailed);
  }
}

/** Errors on connecting that no retry can fix: the brokers refused the SASL credentials or mechanism. */
const CONNECT_REFUSALS = new Set(['KafkaJSSASLAuthenticationError', 'SASL_AUTHENTICATION_FAILED', 'UNSUPPORTED_SASL_MECHANISM', 'ILLEGAL_SASL_STATE']);

/**
 * A connection error of the Kafka sink that no retry can fix (SASL authentication refused, anywhere in kafkajs'
 * cause chain) as a ConfigError: exit 2 at start-up with the fix, password redacted; null for anything else (a
 * broker that is down or unreachable is retried).
 */
export function kafkaConnectRefusal(err: unknown, cfg: Pick<ZakConfig['kafka'], 'brokers' | 'saslMechanism' | 'saslUsername' | 'saslPassword'>): ConfigError | null {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const { name, type } = e as { name?: string; type?: string };
    if (!(name && CONNECT_REFUSALS.has(name)) && !(type && CONNECT_REFUSALS.has(type))) continue;
    const message = redact(errorMessage(e), [cfg.saslPassword ?? ''].filter(Boolean));
    return new ConfigError('kafka.saslPassword', `kafka: cannot connect to ${cfg.brokers.join(',')}: authentication refused: ${message}`, {
      hint: `Check kafka.saslMechanism (${cfg.saslMechanism ?? 'none'}), kafka.saslUsername (${cfg.saslUsername ?? 'none'}) and the password (ZAKOCR_KAFKA_SASL_PASSWORD).`,
    });
  }
  return null;
}

/**
 * Kafka sink (kafkajs): idempotent producer (acks=all, one request in flight, so retries within a run
 * never duplicate or reorder), batched sends, JSON values with `schema` and `version`, key = sha256.
 * `write` resolves when every message of the batch is acknowledged by the brokers.
 */
export class KafkaSink implements Sink {
  readonly name = 'kafka';
  private producer: Producer | null = null;
  private log: Logger | null = null;
  private readonly secrets: string[];
  sent = 0;

  constructor(private readonly cfg: ZakConfig['kafka']) {
    this.secrets = [cfg.saslPassword ?? ''].filter(Boolean);
  }

  async open(ctx: RunContext): Promise<void> {
    this.log = ctx.log;
    if (!this.producer) {
      allowAnyBrokerForProducerId();
      const kafka = new Kafka({ ...kafkaClientConfig(this.cfg), logCreator: logCreatorFor(ctx.log, this.secrets) });
      this.producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: CLIENT_RETRIES, initialRetryTime: 100, maxRetryTime: 1_000 },
      });
    }
    try {
      await this.producer.connect();
    } catch (err) {
      throw kafkaConnectRefusal(err, this.cfg) ?? this.wrap(err, `cannot connect to ${this.cfg.brokers.join(',')}`);
    }
  }

  async write(records: ZakRecord[]): Promise<void> {
    const producer = this.requireProducer();
    const now = new Date().toISOString();
    const items = records.flatMap((r) => recordEvents(r, this.cfg.topics, now));
    for (const chunk of chunkBySize(items)) {
      const byTopic = new Map<string, Message[]>();
      for (const it of chunk) {
        const list = byTopic.get(it.topic) ?? [];
        list.push(it.message);
        byTopic.set(it.topic, list);
      }
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (err) {
        throw this.wrap(err, `sending ${chunk.length} events failed`);
      }
      this.sent += chunk.length;
    }
  }

  async flush(): Promise<void> {
    // sendBatch resolves after the brokers' acknowledgement: nothing is buffered here.
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = null;
    if (p) await p.disconnect();
    this.log?.debug(`kafka: ${this.sent} events acknowledged`);
  }

  private requireProducer(): Producer {
    if (!this.producer) throw new ZakocrError('sink_closed', 'kafka sink is not open', ExitCode.internal);
    return this.producer;
  }

  /** kafkajs errors become plain messages (its "non-retriable" marks only mean its own budget is spent). */
  private wrap(err: unknown, what: string): Error {
    if (err instanceof ZakocrError) return err;
    let e: unknown = err;
    let type: string | undefined;
    while (e && !type) {
      type = (e as { type?: string }).type;
      e = (e as { cause?: unknown }).cause;
    }
    const msg = `kafka: ${what}: ${redact(errorMessage(err), this.secrets)}${type ? ` (${type})` : ''}`;
    return type && PERMANENT_ERRORS.has(type) ? new PermanentKafkaFailure(msg) : new Error(msg);
  }
}

/** Creates the Kafka sink for `kafka.brokers` (the caller wraps it with retries and dead-lettering). */
export function createKafkaSink(cfg: ZakConfig['kafka']): Sink {
  kafkaClientConfig(cfg, () => ''); // validate the options up front (exit 2), without reading files yet
  return new KafkaSink(cfg);
}
