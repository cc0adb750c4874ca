/**
 * The shared result cache (`--cache redis://…`) through the real pipeline and the machine's Redis: a second scan of
 * the same bytes reuses the stored records without decoding or OCR; an unreachable cache warns once and changes
 * nothing else; entries expire and the oldest are evicted beyond `cache.maxEntries`.
 */
import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, RedisResultCache } from '../../src/cache/redis-cache.js';
import { loadConfig } from '../../src/config/load.js';
import { defaults } from '../../src/config/defaults.js';
import type { Logger, ZakRecord } from '../../src/core/types.js';
import { runScan } from '../../src/pipeline/run-scan.js';
import { parseRedisUrl } from '../../src/redis/url.js';
import { CountingEngine } from '../fakes/engines/counting.js';
import { receiptRecord } from '../fakes/records.js';
import { deleteKeys, redisClient, redisUrl, uniqueName } from '../helpers/redis.js';
import { readJsonl, tempDir, writeNumberedImages } from './scan-helpers.js';

/** Databases of this file on the shared Redis (the scale-out acceptance check uses 5 and 6). */
const CACHE_DB = 12;
const EVICTION_DB = 13;
const FILES = 4;

let dir: string;
let inputs: string;
let runNo = 0;

beforeAll(async () => {
  dir = await tempDir('cache');
  inputs = path.join(dir, 'in');
  await writeNumberedImages(inputs, FILES);
  await writeFile(path.join(inputs, 'broken.png'), 'not a png');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function collectingLog(lines: string[]): Logger {
  const put = (level: string) => (msg: string) => void lines.push(`${level}: ${msg}`);
  return { info: put('info'), warn: put('warn'), error: put('error'), debug: put('debug') };
}

async function scan(engine: CountingEngine, cacheUrl: string, log: string[] = []) {
  const out = path.join(dir, `run-${++runNo}`, 'r.jsonl');
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [out], concurrency: 2, engine: 'none', 'cache.url': cacheUrl } });
  const result = await runScan({ inputs: [inputs], config, log: collectingLog(log), cwd: dir, deps: { engine, barcodeReader: null } });
  return { result, records: await readJsonl(out) };
}

const byFile = (records: ZakRecord[]) => new Map(records.map((r) => [path.basename(r.file), r]));

describe('shared result cache', () => {
  const cacheClient = redisClient(CACHE_DB);
  afterAll(() => cacheClient.disconnect());

  it('a second scan of the same bytes reuses the records: no decode, no OCR, same results, its own name and run', async () => {
    const model = uniqueName('cache-model'); // a pipeline version no other run has cached
    const first = await scan(new CountingEngine(model), redisUrl(CACHE_DB));
    expect(first.records).toHaveLength(FILES + 1);
    await copyFile(path.join(inputs, 'img-000.png'), path.join(inputs, 'copy-of-000.png'));
    try {
      const engine = new CountingEngine(model);
      const second = await scan(engine, redisUrl(CACHE_DB));
      expect(engine.calls).toBe(0); // every readable file came from the cache
      const a = byFile(first.records);
      const b = byFile(second.records);
      for (const [name, rec] of a) {
        const again = b.get(name)!;
        if (rec.status === 'failed') {
          // Failures are not cached (a timeout or a crash may not happen again): the file is tried again.
          expect(again.error).toEqual(rec.error);
          expect(await cacheClient.exists(cacheKey(rec.sha256, rec.pipelineVersion))).toBe(0);
          continue;
        }
        expect({ ...again, timingsMs: {}, runId: '' }).toEqual({ ...rec, timingsMs: {}, runId: '' });
        expect(again.runId).toBe(second.result.summary.runId);
        expect(again.timingsMs.cache).toBeGreaterThanOrEqual(0);
        expect(again.timingsMs.decode).toBeUndefined();
        expect(again.timingsMs.ocr).toBeUndefined();
      }
      const copy = b.get('copy-of-000.png')!;
      expect(copy.file).toBe(path.join('in', 'copy-of-000.png'));
      expect(copy.text).toBe(a.get('img-000.png')!.text);
    } finally {
      await rm(path.join(inputs, 'copy-of-000.png'));
      await deleteKeys(cacheClient, `{zakocr-cache}:v1:${first.result.summary.pipelineVersion}:*`);
    }
  });

  it('an unreachable cache warns once and the scan is the same as without one', async () => {
    const log: string[] = [];
    const engine = new CountingEngine(uniqueName('cache-model'));
    const { result, records } = await scan(engine, 'redis://127.0.0.1:1/0', log); // nothing listens on port 1
    expect(engine.calls).toBe(FILES);
    expect(result.summary.ok + result.summary.needsReview).toBe(FILES);
    expect(records.filter((r) => r.status === 'failed').map((r) => path.basename(r.file))).toEqual(['broken.png']);
    const warnings = log.filter((l) => l.includes('result cache redis://127.0.0.1:1/0 unavailable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warn: .*files are analysed without the cache until it is back$/);
  });

  it('a malformed cache URL is a configuration error (exit 2), not an outage', async () => {
    await expect(scan(new CountingEngine(), 'http://127.0.0.1:6379')).rejects.toThrow('Expected a redis:// or rediss:// URL for cache.url');
  });
});

describe('cache limits', () => {
  const client = redisClient(EVICTION_DB);
  afterAll(async () => {
    client.disconnect();
  });

  it('entries expire after cache.ttlSeconds; beyond cache.maxEntries the oldest go; oversized results are not stored', async () => {
    const pv = uniqueName('pv');
    const settings = { ...defaults.cache, url: redisUrl(EVICTION_DB), ttlSeconds: 120, maxEntries: 3, maxEntryBytes: 64 * 1024 };
    const cache = new RedisResultCache(parseRedisUrl(settings.url, 'cache.url'), settings);
    await cache.connect();
    try {
      const shas = Array.from({ length: 5 }, (_, i) => String(i).repeat(64));
      for (const sha of shas) await cache.set(sha, pv, [receiptRecord({ sha256: sha, pipelineVersion: pv })]);
      expect(await cache.get(shas[0], pv)).toBeNull();
      expect(await cache.get(shas[1], pv)).toBeNull();
      expect(await client.zcard('{zakocr-cache}:v1:index')).toBeLessThanOrEqual(3);
      const ttl = await client.ttl(cacheKey(shas[4], pv));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120);

      const huge = receiptRecord({ sha256: 'e'.repeat(64), pipelineVersion: pv, text: Array.from({ length: 40_000 }, (_, i) => `line ${i * 7919 % 100_003}`).join('\n') });
      await cache.set(huge.sha256, pv, [huge]);
      expect(await cache.get(huge.sha256, pv)).toBeNull();
      expect(cache.stats).toMatchObject({ stores: 5, errors: 0 });
    } finally {
      await cache.close();
      await deleteKeys(client, `{zakocr-cache}:v1:${pv}:*`);
    }
  });
});
