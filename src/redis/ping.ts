import { Redis } from 'ioredis';

/**
 * Connects once and PINGs, without retrying: tells "Redis is unreachable" apart before handing the URL to a
 * library that would wait for it forever. Rejects with the connection error.
 */
export async function pingRedis(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let cause: unknown = null;
  client.on('error', (err) => (cause ??= err)); // the socket's error (ECONNREFUSED …) says more than "Connection is closed"
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw cause ?? err;
  } finally {
    client.disconnect();
  }
}
