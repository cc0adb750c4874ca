import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

/** True when `kcat` is installed (the mock cluster needs it; `.ci/run` installs it). */
export function hasKcat(): boolean {
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface KafkaMock {
  /** `host:port` of the mock broker. */
  bootstrap: string;
  /** SIGSTOP: the broker stops answering (requests time out) but keeps its data. */
  pause(): void;
  /** SIGCONT: the broker answers again. */
  resume(): void;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/**
 * Starts librdkafka's in-memory mock cluster (one broker, topics auto-created) through kcat and reads
 * `bootstrap.servers=HOST:PORT` from its debug log. No Kafka package is needed.
 */
export async function startKafkaMock(): Promise<KafkaMock> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zk-kafka-'));
  const logFile = path.join(dir, 'mock.log');
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn('kcat', ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=1', '-d', 'mock', '-C', '-t', '_keepalive', '-q'], {
    stdio: ['ignore', 'ignore', fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + START_TIMEOUT_MS;
  let bootstrap: string | null = null;
  while (!bootstrap && Date.now() < end) {
    const m = /bootstrap\.servers=([0-9.]+:\d+)/.exec(await readFile(logFile, 'utf8').catch(() => ''));
    if (m) bootstrap = m[1];
    else await new Promise((r) => setTimeout(r, 50));
  }
  if (!bootstrap) {
    child.kill('SIGKILL');
    throw new Error(`kcat mock cluster did not print bootstrap.servers within ${START_TIMEOUT_MS} ms (log: ${logFile})`);
  }
  return {
    bootstrap,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface ConsumedEvent {
  topic: string;
  key: string | null;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * Reads every message of `topics` from the beginning with kafkajs until `expected` arrived, or nothing new
 * came for `idleMs` after the consumer joined its group (at most `timeoutMs` in all), then disconnects.
 */
export async function consumeAll(bootstrap: string, topics: string[], expected: number, idleMs = 2_000, timeoutMs = 60_000): Promise<ConsumedEvent[]> {
  const kafka = new Kafka({ clientId: 'zakocr-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `zakocr-test-${process.pid}-${Date.now()}-${Math.random()}` });
  const out: ConsumedEvent[] = [];
  let joinedAt = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => (joinedAt = Date.now()));
  await consumer.connect();
  const started = Date.now();
  try {
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    let last = 0;
    await consumer.run({
      eachMessage: async ({ topic, message }: { topic: string; message: KafkaMessage }) => {
        last = Date.now();
        out.push({
          topic,
          key: message.key?.toString() ?? null,
          value: JSON.parse(message.value!.toString()) as Record<string, unknown>,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    for (;;) {
      const now = Date.now();
      if (now - started > timeoutMs) break;
      const quietSince = Math.max(joinedAt, last);
      // Stop once everything expected is in and a short quiet spell shows nothing more (repeats) follows.
      if (joinedAt && out.length >= expected && now - quietSince > 500) break;
      if (joinedAt && now - quietSince > idleMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await consumer.disconnect();
  }
  return out;
}
