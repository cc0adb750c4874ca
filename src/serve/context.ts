import type { Logger, SourceItem, ZakRecord } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import type { Admission, Ticket } from './admission.js';
import type { AnalyzerPool, Variant } from './analyzers.js';
import type { Authenticator, Principal } from './auth.js';
import type { ServiceSinks } from './delivery.js';
import type { JobBackend } from './jobs/types.js';
import type { ServeMetrics } from './metrics.js';
import type { JsonSchema } from './openapi.js';
import type { SpooledFile, SpoolDir } from './spool.js';

/** What every route of one running service shares. */
export interface ServeContext {
  config: ZakConfig;
  log: Logger;
  auth: Authenticator;
  admission: Admission;
  analyzers: AnalyzerPool;
  sinks: ServiceSinks;
  jobs: JobBackend;
  metrics: ServeMetrics;
  spool: SpoolDir;
  openapi: JsonSchema;
  /** Runs one file through the variant's analyzer inside the admission window; never throws for a bad file. */
  analyse(variant: Variant, item: SourceItem, priority: number): Promise<{ records: ZakRecord[]; waitedMs: number; analyseMs: number }>;
  /** Open event streams, ended at shutdown so closing the server does not wait on them. */
  streams: Set<() => void>;
}

/** Per-request state (Fastify request decoration `zk`). */
export interface RequestState {
  startedAt: number;
  principal: Principal | null;
  ticket: Ticket | null;
  /** The handler owns the ticket and uploads from here on (it releases and removes them itself). */
  handlerOwns: boolean;
  spooled: SpooledFile[];
}

declare module 'fastify' {
  interface FastifyRequest {
    zk: RequestState;
  }
}

/** Releases what a request holds when the handler never took it over (refused, failed while parsing, aborted). */
export async function releaseRequest(state: RequestState | null | undefined): Promise<void> {
  if (!state || state.handlerOwns) return;
  state.ticket?.release();
  await Promise.allSettled(state.spooled.map((f) => f.remove()));
}
