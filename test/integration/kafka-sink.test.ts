import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAll, startKafkaMock, type KafkaMock } from '../helpers/kafka-mock.js';
import { makeImages, runCli, startCli, waitFor } from '../helpers/sink-fixtures.js';
import { assertValidRecords } from '../helpers/record-schema.js';

const TOPICS = ['zakocr.ocr.completed', 'zakocr.ocr.failed', 'zakocr.product.detected'];

async function shaByFile(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(path.join(dir, 'in'))).sort()) {
    out.set(`in/${f}`, createHash('sha256').update(await readFile(path.join(dir, 'in', f))).digest('hex'));
  }
  return out;
}

const lineCount = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

/** The Kafka sink against librdkafka's mock cluster (started through kcat), consumed back with kafkajs. */
describe('Kafka sink (kcat mock cluster)', () => {
  let mock: KafkaMock;
  let dir: string;
  const N = 30;

  beforeAll(async () => {
    mock = await startKafkaMock();
    dir = await makeImages(N);
    await writeFile(path.join(dir, 'in', 'zz_broken.png'), 'not a PNG at all');
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('publishes one ocr.completed per file keyed by sha256 and one ocr.failed per failure, JSON with schema/version', async () => {
    const r = await runCli(['scan', 'in', '--engine', 'none', '--kafka', mock.bootstrap, '-q'], dir);
    expect(r.code, r.stderr).toBe(1); // the broken file
    const events = await consumeAll(mock.bootstrap, TOPICS, N + 1);
    const shas = await shaByFile(dir);
    const completed = events.filter((e) => e.topic === 'zakocr.ocr.completed');
    const failed = events.filter((e) => e.topic === 'zakocr.ocr.failed');
    expect(completed).toHaveLength(N);
    assertValidRecords(completed.map((e) => e.value.record), 'zakocr.ocr.completed event record');
    expect(failed).toHaveLength(1);
    for (const e of completed) {
      const file = (e.value.record as { file: string }).file;
      expect(e.key).toBe(shas.get(file));
      expect(e.value).toMatchObject({ schema: 'zakocr.ocr.completed', version: 1, sha256: e.key, file, status: 'needs_review', page: null });
      expect(e.value.eventId).toBe(`${e.key}:-:${e.value.pipelineVersion as string}:completed`);
      expect(e.headers).toEqual({ 'zakocr-schema': 'zakocr.ocr.completed' });
    }
    expect(new Set(completed.map((e) => e.key)).size).toBe(N);
    expect(failed[0].key).toBe(shas.get('in/zz_broken.png'));
    expect(failed[0].value).toMatchObject({ schema: 'zakocr.ocr.failed', version: 1, file: 'in/zz_broken.png', error: { code: 'unsupported_format', stage: 'decode' } });
  });
});

describe('Kafka sink when the broker stops mid-run', () => {
  let mock: KafkaMock;
  let dir: string;
  const N = 200;

  beforeAll(async () => {
    mock = await startKafkaMock();
    dir = await makeImages(N);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('dead-letters and exits 3; --resume after the broker is back delivers the rest; every file reaches Kafka', async () => {
    const env = { ZAKOCR_KAFKA_TIMEOUT_MS: '1000', ZAKOCR_SINK_RETRIES: '1', ZAKOCR_SINK_BACKOFF_MS: '100', ZAKOCR_SINK_CIRCUIT_RESET_MS: '600000' };
    const args = ['scan', 'in', '--engine', 'none', '--kafka', mock.bootstrap, '--out', 'rows.jsonl', '--concurrency', '2'];
    const manifest = path.join(dir, '.zakocr-manifest.jsonl');
    const run = startCli(args, dir, env);
    let exited = false;
    void run.done.then(() => (exited = true));
    await waitFor(async () => exited || (await lineCount(manifest)) > 0, 60_000, 5);
    mock.pause();
    const first = await run.done;
    mock.resume();
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(/kafka: \d+ records gave up after 2 attempts: .*written to dead-letter .*zakocr-deadletter\.jsonl/);
    const doneFirst = await lineCount(manifest);
    expect(doneFirst).toBeGreaterThan(0);
    expect(doneFirst).toBeLessThan(N);
    const dead = (await readFile(path.join(dir, 'zakocr-deadletter.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { sink: string; attempts: number; record: { file: string } });
    expect(new Set(dead.map((d) => d.sink))).toEqual(new Set(['kafka']));
    expect(dead.length).toBeGreaterThanOrEqual(N - doneFirst - 32);
    expect(await lineCount(path.join(dir, 'rows.jsonl'))).toBe(N); // the file sink kept going

    const second = await runCli([...args, '--resume'], dir, env);
    expect(second.code, second.stderr).toBe(0);
    expect(await lineCount(manifest)).toBe(N);
    expect(await lineCount(path.join(dir, 'rows.jsonl'))).toBe(N);

    const events = await consumeAll(mock.bootstrap, ['zakocr.ocr.completed'], N);
    const shas = await shaByFile(dir);
    const keys = new Set(events.map((e) => e.key));
    expect(keys).toEqual(new Set(shas.values()));
    const perKey = new Map<string, number>();
    for (const e of events) perKey.set(e.key!, (perKey.get(e.key!) ?? 0) + 1);
    const repeated = [...perKey].filter(([, n]) => n > 1).map(([k]) => k);
    const fileOf = new Map([...shas].map(([f, s]) => [s, f]));
    // Kafka delivery is at-least-once across processes: a batch that was on the wire when the broker froze
    // may have been appended although its acknowledgement never came, and --resume sends it again
    // (consumers drop repeats by eventId). Nothing else may repeat: not the files delivered before the
    // stop, not those dead-lettered without being sent (circuit open).
    const sentThenDeadLettered = new Set(dead.filter((d) => d.attempts > 0).map((d) => d.record.file));
    expect(sentThenDeadLettered.size).toBeLessThanOrEqual(32);
    for (const k of repeated) expect(sentThenDeadLettered.has(fileOf.get(k)!), fileOf.get(k)).toBe(true);
    console.log(`kafka fault test: ${doneFirst}/${N} files done before the stop, ${dead.length} dead-lettered ` +
      `(${sentThenDeadLettered.size} after being sent), ${events.length} events for ${keys.size} files after --resume; ` +
      `${repeated.length} files repeated (max ${Math.max(...perKey.values())} copies)`);
  });
});
