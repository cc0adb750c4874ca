import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The machine's Redis; override with ZAKOCR_TEST_REDIS. Tests pick their own database number and names. */
export const REDIS_HOST_URL = process.env.ZAKOCR_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** `redis://host:port/<db>`. */
export function redisUrl(db: number): string {
  return `${REDIS_HOST_URL.replace(/\/\d*$/, '')}/${db}`;
}

/** A queue (or key) name nobody else uses: tests on this shared Redis never meet. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A plain client for assertions and clean-up. */
export function redisClient(db: number): Redis {
  const client = new Redis(redisUrl(db), { maxRetriesPerRequest: 1, lazyConnect: true });
  client.on('error', () => undefined);
  return client;
}

/** Deletes every key matching `pattern` (the keys one test created). */
export async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
