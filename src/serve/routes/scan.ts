import type { FastifyInstance } from 'fastify';
import { PRIORITY_INTERACTIVE } from '../admission.js';
import type { ServeContext } from '../context.js';
import { scanQuerySchema, type ScanQueryInput } from '../schemas.js';
import { httpStatusForRecords } from '../status.js';
import { checkDeclaredLength, readUploads } from './upload.js';

/**
 * `POST /v1/scan`: one image or PDF in (raw body or one multipart file), its record(s) out, synchronously.
 * The ticket is taken before the body is read (503 when the wait queue is full); the upload is removed and the
 * ticket released when the response is ready. Records go to the sinks before the response is sent.
 */
export function registerScanRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Querystring: ScanQueryInput }>('/v1/scan', {
    schema: { querystring: scanQuerySchema },
    preParsing: async (req) => {
      checkDeclaredLength(req, ctx, 1);
      req.zk.ticket = ctx.admission.admit();
    },
    handler: async (req, reply) => {
      const state = req.zk;
      state.handlerOwns = true;
      try {
        const variant = ctx.analyzers.resolve(req.query);
        const [file] = await readUploads(req, ctx, 1);
        const { records, waitedMs, analyseMs } = await ctx.analyse(variant, file, PRIORITY_INTERACTIVE);
        await file.remove();
        const t = performance.now();
        const outcome = await ctx.sinks.deliver(records);
        const deliverMs = performance.now() - t;
        const status = httpStatusForRecords(records);
        reply.header('server-timing', `queue;dur=${waitedMs.toFixed(1)}, analyse;dur=${analyseMs.toFixed(1)}, deliver;dur=${deliverMs.toFixed(1)}`);
        return reply.code(status).send({
          record: records[0],
          ...(records.length > 1 ? { records } : {}),
          delivered: outcome.delivered,
          ...(outcome.errors.length ? { sinkErrors: outcome.errors } : {}),
          ...(status >= 400 && records[0].error ? { error: records[0].error } : {}),
        });
      } finally {
        state.ticket?.release();
        await Promise.allSettled(state.spooled.map((f) => f.remove()));
      }
    },
  });
}
