import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type onRequestHookHandler } from 'fastify';
import { SinkError, ZakocrError, errorMessage } from '../core/errors.js';
import type { Logger, Sink } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';
import type { AnalyzerDeps } from '../pipeline/analyzer.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import { Admission, PRIORITY_JOB } from './admission.js';
import { AnalyzerPool } from './analyzers.js';
import { createAuthenticator } from './auth.js';
import { releaseRequest, type ServeContext } from './context.js';
import { ServiceSinks } from './delivery.js';
import { ServeError, errorBody } from './errors.js';
import { chooseJobBackend, openJobBackend } from './jobs/select.js';
import type { JobBackend } from './jobs/types.js';
import { ServeMetrics } from './metrics.js';
import { buildOpenApi, loadRecordSchema } from './openapi.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerPageRoutes } from './routes/page.js';
import { registerScanRoute } from './routes/scan.js';
import { registerRawUploadParser } from './routes/upload.js';
import { checkServeConfig } from './settings.js';
import { SpoolDir } from './spool.js';
import { warmUp } from './warmup.js';

/** JSON bodies (job path lists) are small; uploads have their own limit (limits.maxBytes). */
const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

export interface StartServeOptions {
  config: ZakConfig;
  log: Logger;
  /** Injected stages (tests: fake engines and sinks through the real service). */
  deps?: AnalyzerDeps & { sinks?: Sink[] };
  /** Another job backend (tests); default: `serve.jobs.backend`. */
  jobs?: (ctx: Omit<ServeContext, 'jobs'>) => JobBackend;
  /** `queue.redis` was set (config file, env or flag): `serve.jobs.backend: 'auto'` then picks the queue. */
  queueConfigured?: boolean;
  /** Skip the warm-up analysis (tests with fake engines). */
  warmUp?: boolean;
}

export interface RunningServe {
  app: FastifyInstance;
  ctx: ServeContext;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  url: string;
  /** Stops taking requests, lets the ones in flight finish, flushes and closes the sinks, unloads engines. */
  close(): Promise<{ sinkErrors: SinkError[] }>;
}

/**
 * Starts `zakocr serve`: loads and warms the default engines, opens the sinks, then listens.
 * @throws ConfigError / UsageError (auth or config), MissingResourceError / DeviceError (engines), SinkError.
 */
export async function startServe(opts: StartServeOptions): Promise<RunningServe> {
  const { config, log } = opts;
  checkServeConfig(config);
  const auth = await createAuthenticator(config.serve);
  const runId = opts.deps?.runId ?? randomUUID();
  const analyzers = new AnalyzerPool(config, { ...opts.deps, runId, log });
  const spool = await SpoolDir.create();
  const admission = new Admission(config.concurrency, config.serve.maxWaiting, config.serve.retryAfterS);
  let jobs: JobBackend | null = null;
  const metrics = new ServeMetrics({ waiting: () => admission.waiting, running: () => admission.running, jobFilesWaiting: () => jobs?.filesWaiting() ?? 0 });
  let sinks: ServiceSinks | null = null;
  try {
    const first = await analyzers.get(analyzers.defaultVariant);
    metrics.engineLoaded(first.stamp, analyzers.defaultVariant.lang, analyzers.defaultVariant.barcodes);
    if (opts.warmUp !== false) {
      const ms = await warmUp(first, spool.dir);
      log.debug(`engines warmed up in ${ms ?? '?'} ms`);
      await rm(path.join(spool.dir, 'warmup.png'), { force: true });
    }
    sinks = await ServiceSinks.open(config, { runId, pipelineVersion: first.pipelineVersion, startedAt: new Date(), resume: false, log }, {
      sinks: opts.deps?.sinks,
      onDelivery: (sink, ok) => metrics.sinkDelivered(sink, ok),
    });
  } catch (err) {
    await analyzers.dispose();
    await spool.close();
    throw err;
  }
  const openapi = buildOpenApi(await loadRecordSchema(), ZAKOCR_VERSION);
  const base: Omit<ServeContext, 'jobs'> = {
    config, log, auth, admission, analyzers, sinks, metrics, spool, openapi,
    streams: new Set(),
    analyse(variant, item, priority) {
      const queued = performance.now();
      return admission.run(async () => {
        const waitedMs = performance.now() - queued;
        const analyzer = await analyzers.get(variant);
        metrics.engineLoaded(analyzer.stamp, variant.lang, variant.barcodes);
        const t = performance.now();
        const records = await analyzer.analyse(item);
        const analyseMs = performance.now() - t;
        metrics.observeRecords(records);
        return { records, waitedMs, analyseMs };
      }, priority);
    },
  };
  const serviceSinks = sinks;
  try {
    jobs =
      opts.jobs?.(base) ??
      (await openJobBackend(chooseJobBackend(config.serve.jobs.backend, opts.queueConfigured ?? false), config, {
        analyse: async (variant, item) => (await base.analyse(variant, item, PRIORITY_JOB)).records,
        deliver: (records) => serviceSinks.deliver(records),
        defaultVariant: analyzers.defaultVariant,
        log,
      }));
  } catch (err) {
    await Promise.allSettled([serviceSinks.close(true), analyzers.dispose(), spool.close()]);
    throw err;
  }
  const ctx: ServeContext = { ...base, jobs };
  const lifecycle = { closing: false };
  const app = await buildApp(ctx, lifecycle);
  let address: string;
  try {
    address = await app.listen({ port: config.serve.port, host: config.serve.host });
  } catch (err) {
    await Promise.allSettled([app.close(), jobs.close()]);
    await Promise.allSettled([serviceSinks.close(true), analyzers.dispose(), spool.close()]);
    throw new ServeError(500, 'internal', `cannot listen on ${config.serve.host}:${config.serve.port}: ${errorMessage(err)}`, { cause: err });
  }
  let closing: Promise<{ sinkErrors: SinkError[] }> | null = null;
  return {
    app,
    ctx,
    url: address,
    close: () =>
      (closing ??= (async () => {
        lifecycle.closing = true;
        await Promise.all([app.close(), ctx.jobs.close()]);
        const sinkErrors = await serviceSinks.close();
        await analyzers.dispose();
        await spool.close();
        return { sinkErrors };
      })()),
  };
}

/** The Fastify app: hooks, error mapping, CORS, the page, ops routes and the authenticated, rate-limited `/v1`. */
async function buildApp(ctx: ServeContext, lifecycle: { closing: boolean }): Promise<FastifyInstance> {
  const { config, log, metrics } = ctx;
  const app = Fastify({
    logger: false,
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    // Our own onRequest hook answers during shutdown, in the service's error format and with Retry-After.
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  });
  app.decorateRequest('zk', null as never);
  app.addHook('onRequest', async (req, reply) => {
    req.zk = { startedAt: performance.now(), principal: null, ticket: null, handlerOwns: false, spooled: [] };
    if (lifecycle.closing) {
      reply.header('connection', 'close');
      throw new ServeError(503, 'shutting_down', 'the server is shutting down; retry on another instance', { headers: { 'retry-after': String(config.serve.retryAfterS) } });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const seconds = (performance.now() - (req.zk?.startedAt ?? performance.now())) / 1000;
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.request(route, req.method, reply.statusCode, seconds);
    await releaseRequest(req.zk);
    if (config.serve.accessLog) {
      log.info(`${req.method} ${req.url.split('?')[0]} ${reply.statusCode} ${(seconds * 1000).toFixed(1)}ms ${req.zk?.principal?.id ?? '-'}`);
    }
  });
  app.addHook('onRequestAbort', async (req) => releaseRequest(req.zk));
  app.addHook('preClose', async () => {
    for (const end of [...ctx.streams]) end();
  });
  app.setErrorHandler((err: FastifyError | ServeError, req, reply) => {
    if (err instanceof ServeError) {
      metrics.refused(err.code);
      return reply.headers(err.headers).code(err.statusCode).send(errorBody(err.code, err.message));
    }
    if (err.validation) {
      metrics.refused('bad_request');
      return reply.code(400).send(errorBody('bad_request', validationMessage(err)));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status < 500) {
      const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_request';
      metrics.refused(code);
      return reply.code(status).send(errorBody(code, err.message));
    }
    metrics.refused('internal');
    // A known zakocr error (an engine that failed to start) has a safe message; anything else is a bug: logged, not shown.
    const known = err instanceof ZakocrError;
    log.error(`${req.method} ${req.url.split('?')[0]}: ${known ? err.message : ((err as Error).stack ?? errorMessage(err))}`);
    return reply.code(500).send(errorBody('internal', known ? err.message : 'internal error (logged on the server)'));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]} (see /openapi.json)`));
  });

  const requireAuth: onRequestHookHandler = async (req) => {
    req.zk.principal = await ctx.auth.authenticate(req.headers.authorization);
  };
  await app.register(cors, {
    origin: config.serve.corsOrigins.length ? config.serve.corsOrigins : false,
    methods: ['GET', 'POST'],
    exposedHeaders: ['retry-after', 'location', 'server-timing', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });
  await registerPageRoutes(app);
  registerOpsRoutes(app, ctx, requireAuth);
  await app.register(async (v1) => {
    v1.addHook('onRequest', requireAuth);
    await v1.register(rateLimit, {
      max: config.serve.rateLimitMax,
      timeWindow: config.serve.rateLimitWindowMs,
      keyGenerator: (req) => req.zk.principal?.id ?? req.ip,
      errorResponseBuilder: (_req, c) => new ServeError(429, 'rate_limited', `rate limit passed: ${c.max} requests per ${Math.round(config.serve.rateLimitWindowMs / 1000)} s for this key (serve.rateLimitMax); retry in ${c.after}`),
    });
    await v1.register(multipart, { limits: { fileSize: config.limits.maxBytes } });
    registerRawUploadParser(v1, ctx);
    registerScanRoute(v1, ctx);
    registerJobRoutes(v1, ctx);
  });
  return app;
}

/** "unknown query option colour" instead of ajv's "querystring must NOT have additional properties". */
function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  return (err.validation ?? [])
    .map((v) => {
      const params = v.params as { additionalProperty?: string };
      if (v.keyword === 'additionalProperties' && params.additionalProperty) return `unknown ${where} option ${JSON.stringify(params.additionalProperty)}`;
      const field = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
      return `${where}${field ? ` ${field}` : ''} ${v.message ?? 'is invalid'}`;
    })
    .join('; ');
}
