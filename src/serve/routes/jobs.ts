import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServeContext } from '../context.js';
import { ServeError } from '../errors.js';
import type { JobEvent, JobFile } from '../jobs/types.js';
import { jobParamsSchema, jobsQuerySchema, type VariantQueryInput } from '../schemas.js';
import { resolveJobInputs } from './job-inputs.js';
import { checkDeclaredLength, readUploads } from './upload.js';

/** A comment line this often keeps proxies from closing a quiet event stream. */
const SSE_HEARTBEAT_MS = 15_000;

function notFound(id: string): ServeError {
  return new ServeError(404, 'not_found', `no job ${id} for this key (finished jobs are kept serve.jobs.retainMs)`);
}

/**
 * `POST /v1/jobs` (uploads: raw body or multipart with many files; or JSON `{"inputs": [paths]}`) → 202 and the
 * job; `GET /v1/jobs/:id` → the job and its records so far; `GET /v1/jobs/:id/events` → server-sent events
 * (`progress`, `record`, `done`).
 */
export function registerJobRoutes(app: FastifyInstance, ctx: ServeContext): void {
  const maxFiles = ctx.config.serve.jobs.maxFiles;

  app.post<{ Querystring: VariantQueryInput }>('/v1/jobs', {
    schema: { querystring: jobsQuerySchema },
    preParsing: async (req) => checkDeclaredLength(req, ctx, maxFiles),
    handler: async (req, reply) => {
      const variant = ctx.analyzers.resolve(req.query);
      const owner = req.zk.principal?.id ?? 'anonymous';
      let files: JobFile[];
      const body = req.body as { inputs?: unknown } | undefined;
      if (!req.isMultipart() && body && Array.isArray(body.inputs)) {
        const items = await resolveJobInputs(body.inputs as string[], ctx.config.serve.jobs.roots, maxFiles);
        files = items.map((item) => ({ item }));
      } else {
        if (!ctx.jobs.acceptsUploads) throw new ServeError(400, 'bad_request', `the ${ctx.jobs.name} job backend takes server paths or URIs only (JSON {"inputs": [...]})`);
        const uploads = await readUploads(req, ctx, maxFiles);
        files = uploads.map((f) => ({ item: f, cleanup: () => f.remove() }));
      }
      // From here the job owns the uploads (removed after each file's analysis).
      req.zk.handlerOwns = true;
      try {
        const job = await ctx.jobs.submit({ files, variant, owner });
        return reply.code(202).header('location', `/v1/jobs/${job.id}`).send(job);
      } catch (err) {
        await Promise.allSettled(files.map((f) => f.cleanup?.()));
        throw err;
      }
    },
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id', { schema: { params: jobParamsSchema } }, async (req) => {
    const job = await ctx.jobs.get(req.params.id, req.zk.principal?.id ?? 'anonymous');
    if (!job) throw notFound(req.params.id);
    return job;
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id/events', { schema: { params: jobParamsSchema } }, async (req, reply) => {
    const buffered: JobEvent[] = [];
    let write: (e: JobEvent) => void = (e) => buffered.push(e);
    const unsubscribe = ctx.jobs.subscribe(req.params.id, req.zk.principal?.id ?? 'anonymous', (e) => write(e));
    if (!unsubscribe) throw notFound(req.params.id);
    streamEvents(reply, ctx, buffered, (w) => (write = w), unsubscribe);
  });
}

/** Takes the response over and writes job events as `text/event-stream` until the job is done or the client leaves. */
function streamEvents(reply: FastifyReply, ctx: ServeContext, buffered: JobEvent[], setWriter: (w: (e: JobEvent) => void) => void, unsubscribe: () => void): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  let ended = false;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    ctx.streams.delete(end);
    res.end();
  };
  ctx.streams.add(end);
  res.on('close', end);
  const send = (e: JobEvent) => {
    if (ended) return;
    const data = e.type === 'record' ? e.record : e.job;
    res.write(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
    if (e.type === 'done') end();
  };
  setWriter(send);
  for (const e of buffered.splice(0)) send(e);
}
