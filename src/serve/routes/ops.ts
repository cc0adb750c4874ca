import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { ZAKOCR_VERSION } from '../../pipeline/version.js';
import type { ServeContext } from '../context.js';

/**
 * `GET /healthz` (the process answers), `GET /readyz` (the default engines are loaded and no sink is failing;
 * 503 with the reasons otherwise), `GET /metrics` (Prometheus; behind auth unless `serve.metricsAuth` is false)
 * and `GET /openapi.json`.
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: ServeContext, requireAuth: onRequestHookHandler): void {
  app.get('/healthz', async () => ({ status: 'ok', version: ZAKOCR_VERSION }));

  app.get('/readyz', async (_req, reply) => {
    const engines = ctx.analyzers.loaded().map(({ variant, info }) => ({ ...variant, name: info.name, device: info.device, models: info.models, version: info.version }));
    const sinks = ctx.sinks.health();
    const reasons: string[] = [];
    if (engines.length === 0) reasons.push('engines are still loading');
    for (const s of sinks) if (!s.ok) reasons.push(`sink ${s.name} is failing: ${s.error ?? 'unknown error'}`);
    const ready = reasons.length === 0;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      ...(ready ? {} : { reasons }),
      engines,
      sinks,
      queue: { running: ctx.admission.running, waiting: ctx.admission.waiting, capacity: ctx.admission.concurrency + ctx.admission.maxWaiting },
      jobs: { backend: ctx.jobs.name, filesWaiting: ctx.jobs.filesWaiting() },
    });
  });

  app.get('/metrics', { onRequest: ctx.config.serve.metricsAuth ? requireAuth : [] }, async (_req, reply) => {
    return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
  });

  app.get('/openapi.json', async () => ctx.openapi);
}
