/**
 * One ONNX session per model per process: engines (paddle, auto's paddle half, doctor's probe) share sessions by
 * (model file, device, threads), created and warmed up once, released when the last user disposes.
 */
import { ModelSession, type SessionDevice } from './session.js';

interface Shared {
  session: Promise<ModelSession>;
  refs: number;
}

const shared = new Map<string, Shared>();

/**
 * The shared session for a model, opened and warmed up on first use.
 * @param warmup runs once on the fresh session (first runs allocate and are slow; not on a page's clock)
 */
export function acquireSession(
  file: string,
  name: string,
  device: SessionDevice,
  threads: number,
  warmup: (s: ModelSession) => Promise<unknown>,
): Promise<ModelSession> {
  const key = `${file}\0${device}\0${threads}`;
  let entry = shared.get(key);
  if (!entry) {
    const session = ModelSession.open(file, name, { device, threads }).then(async (s) => {
      await warmup(s);
      return s;
    });
    entry = { session, refs: 0 };
    shared.set(key, entry);
    session.catch(() => shared.delete(key));
  }
  entry.refs++;
  return entry.session;
}

/** Drops one reference; the session is released when none is left. */
export async function releaseSession(s: ModelSession, file: string, threads: number): Promise<void> {
  const key = `${file}\0${s.device}\0${threads}`;
  const entry = shared.get(key);
  if (!entry) return;
  entry.refs--;
  if (entry.refs <= 0) {
    shared.delete(key);
    await s.dispose();
  }
}
