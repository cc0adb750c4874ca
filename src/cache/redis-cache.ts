import { gunzipSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { errorMessage } from '../core/errors.js';
import type { Logger, ResultCache, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import { parseRedisUrl, type RedisTarget } from '../redis/url.js';

/**
 * Every key shares one hash tag, so the eviction script's keys live in one slot (Redis Cluster safe).
 * `v1` is the stored format; bump it when the value's encoding changes.
 */
const KEY_PREFIX = '{zakocr-cache}:v1';
const INDEX_KEY = `${KEY_PREFIX}:index`;
/** Most old entries one write evicts (a lowered `cache.maxEntries` shrinks the cache over several writes). */
const MAX_EVICT_PER_WRITE = 1000;
/** While Redis is unreachable, how often the client tries to reconnect (ms). */
const RECONNECT_EVERY_MS = 2_000;

/**
 * Stores the entry, indexes it by time, drops index entries past their TTL and evicts the oldest entries beyond
 * `maxEntries` — atomically, so concurrent workers never push the cache over its limit for long.
 */
const SET_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local now = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]) * 1000)
local excess = math.min(redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4]), tonumber(ARGV[5]))
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
  redis.call('DEL', unpack(old))
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return math.max(excess, 0)`;

export type CacheSettings = ZakConfig['cache'];

/** Counters for the end-of-run log line. */
export interface CacheStats {
  hits: number;
  misses: number;
  stores: number;
  /** Calls that met an outage (a miss or a lost write, never a failed file). */
  errors: number;
}

/** Redis key of one entry. Pure. */
export function cacheKey(sha256: string, pipelineVersion: string): string {
  return `${KEY_PREFIX}:${pipelineVersion}:${sha256}`;
}

/** Stored records are only trusted when they are for the bytes and version asked for. Pure. */
export function validEntry(value: unknown, sha256: string, pipelineVersion: string): value is ZakRecord[] {
  return Array.isArray(value) && value.length > 0 &&
    value.every((r: Partial<ZakRecord> | null) => r !== null && typeof r === 'object' && r.sha256 === sha256 && r.pipelineVersion === pipelineVersion);
}

/**
 * The shared result cache on Redis. An outage (refused connection, timeout, Redis restarting) turns every call
 * into a miss or a skipped write with one warning, and the client keeps reconnecting: when Redis is back the
 * cache works again, with an info line. It never throws into the pipeline.
 */
export class RedisResultCache implements ResultCache {
  readonly name: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, stores: 0, errors: 0 };
  private readonly client: Redis;
  private down = false;

  constructor(private readonly target: RedisTarget, private readonly settings: CacheSettings, private readonly log?: Logger) {
    this.name = `cache:${target.display}`;
    this.client = new Redis(target.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: settings.timeoutMs,
      commandTimeout: settings.timeoutMs,
      retryStrategy: () => RECONNECT_EVERY_MS,
      connectionName: 'zakocr-cache',
    });
    this.client.on('error', () => undefined); // reported once per outage by the calls that meet it
  }

  /** Connects now, so the first file does not wait; an unreachable cache is reported and the run goes on. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (err) {
      this.outage(err);
    }
  }

  async get(sha256: string, pipelineVersion: string): Promise<ZakRecord[] | null> {
    try {
      const raw = await this.client.getBuffer(cacheKey(sha256, pipelineVersion));
      this.recovered();
      if (!raw) {
        this.stats.misses++;
        return null;
      }
      let value: unknown;
      try {
        value = JSON.parse(gunzipSync(raw).toString('utf8'));
      } catch {
        value = null; // a damaged or foreign entry is a miss; this run's result replaces it
      }
      if (!validEntry(value, sha256, pipelineVersion)) {
        this.stats.misses++;
        return null;
      }
      this.stats.hits++;
      return value;
    } catch (err) {
      this.outage(err);
      return null;
    }
  }

  async set(sha256: string, pipelineVersion: string, records: ZakRecord[]): Promise<void> {
    const value = gzipSync(JSON.stringify(records));
    if (value.length > this.settings.maxEntryBytes) return; // too big to be worth sharing (cache.maxEntryBytes)
    try {
      await this.client.eval(SET_SCRIPT, 2, cacheKey(sha256, pipelineVersion), INDEX_KEY, value,
        this.settings.ttlSeconds, Date.now(), this.settings.maxEntries, MAX_EVICT_PER_WRITE);
      this.recovered();
      this.stats.stores++;
    } catch (err) {
      this.outage(err);
    }
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        /* fall through to a hard disconnect */
      }
    }
    this.client.disconnect();
  }

  private outage(err: unknown): void {
    this.stats.errors++;
    if (this.down) return;
    this.down = true;
    this.log?.warn(`result cache ${this.target.display} unavailable (${errorMessage(err)}): files are analysed without the cache until it is back`);
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.log?.info(`result cache ${this.target.display} is back`);
  }
}

/**
 * The cache `cache.url` asks for, connected (or reported unreachable); null when no cache is configured.
 * @throws ConfigError for a malformed URL (a typo should stop the run, an outage should not).
 */
export async function createResultCache(settings: CacheSettings, log?: Logger): Promise<RedisResultCache | null> {
  if (!settings.url) return null;
  const cache = new RedisResultCache(parseRedisUrl(settings.url, 'cache.url'), settings, log);
  await cache.connect();
  return cache;
}
