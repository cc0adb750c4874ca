import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../core/errors.js';
import { parseRedisUrl } from '../redis/url.js';
import { perWorkerFile } from '../sinks/jsonl-append.js';
import { rateOf, remainingOf } from './admin.js';
import { fileJobId, isValidQueueName } from './job.js';
import { fileJobOptions, inputPath } from './push.js';
import { defaults } from '../config/defaults.js';

describe('fileJobId (dedup key: path + size + mtime)', () => {
  it('is the same for the same file and differs when any part changes', () => {
    const id = fileJobId('/mnt/in/a.jpg', 100, 1_700_000_000_123.4);
    expect(id).toMatch(/^f[0-9a-f]{40}$/);
    expect(fileJobId('/mnt/in/a.jpg', 100, 1_700_000_000_123.9)).toBe(id); // sub-ms mtime noise is ignored
    expect(fileJobId('/mnt/in/b.jpg', 100, 1_700_000_000_123)).not.toBe(id);
    expect(fileJobId('/mnt/in/a.jpg', 101, 1_700_000_000_123)).not.toBe(id);
    expect(fileJobId('/mnt/in/a.jpg', 100, 1_700_000_000_124)).not.toBe(id);
  });
});

describe('queue names and inputs', () => {
  it.each([['nightly', true], ['zk-bars-zk_scale_1', true], ['a.b', true], ['', false], ['-x', false], ['a:b', false], ['a b', false]])('%j valid: %s', (name, ok) => {
    expect(isValidQueueName(name)).toBe(ok);
  });

  it('turns file:// URIs into paths and refuses s3:// with a fix', () => {
    expect(inputPath('file:///mnt/in/a%20b.jpg')).toBe('/mnt/in/a b.jpg');
    expect(inputPath('in/a.jpg')).toBe('in/a.jpg');
    expect(() => inputPath('s3://bucket/key.jpg')).toThrow(UsageError);
    expect(() => inputPath('s3://bucket/key.jpg')).toThrow('Cannot push s3://bucket/key.jpg: s3:// inputs are not supported');
  });

  it('jobs retry with exponential back-off and finished ones are kept for dedup', () => {
    expect(fileJobOptions(defaults.queue)).toEqual({
      attempts: 5, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: { age: 168 * 3600 }, removeOnFail: false,
    });
    expect(fileJobOptions({ ...defaults.queue, keepCompletedHours: 0 }).removeOnComplete).toBe(true);
  });
});

describe('parseRedisUrl', () => {
  it('accepts redis:// and rediss:// with a db number and hides the password', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/6', 'cache.url')).toEqual({ url: 'redis://127.0.0.1:6379/6', display: 'redis://127.0.0.1:6379/6', password: null });
    const t = parseRedisUrl('rediss://app:s%40cret@cache:6380', 'queue.redis');
    expect(t.display).toBe('rediss://app:***@cache:6380');
    expect(t.password).toBe('s@cret');
  });

  it.each([
    ['localhost:6379', 'Expected a redis:// or rediss:// URL for cache.url'],
    ['http://x:6379', 'Expected a redis:// or rediss:// URL for cache.url, got http://'],
    ['redis://x:6379/abc', 'Expected a database number (0-15) after the host in cache.url, got "/abc"'],
    ['not a url', 'Expected a redis://host:port[/db] URL for cache.url, got "not a url"'],
  ])('refuses %j', (value, message) => {
    expect(() => parseRedisUrl(value, 'cache.url')).toThrow(ConfigError);
    expect(() => parseRedisUrl(value, 'cache.url')).toThrow(message);
  });
});

describe('worker files and status figures', () => {
  it('names one JSONL file per worker', () => {
    expect(perWorkerFile('out/results.jsonl', 'host-12')).toBe('out/results.host-12.jsonl');
    expect(perWorkerFile('out/{worker}/r.jsonl', 'host-12')).toBe('out/host-12/r.jsonl');
    expect(perWorkerFile('rows', 'w1')).toBe('rows.w1');
  });

  it('counts what is left and the recent rate', () => {
    expect(remainingOf({ waiting: 1, active: 2, delayed: 3, prioritized: 4, 'waiting-children': 5 })).toBe(15);
    expect(rateOf([])).toBeNull();
    expect(rateOf([1000])).toBeNull();
    expect(rateOf([1000, 1000])).toBeNull();
    expect(rateOf([3000, 1000, 2000])).toBe(1); // 2 intervals in 2 s
  });
});
