import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServeContext } from '../context.js';
import { ServeError } from '../errors.js';
import { uploadDisplayName, type SpooledFile } from '../spool.js';

/** Room for multipart boundaries and part headers on top of the file bytes. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Form fields a multipart upload may carry besides its files (options go in the query string). */
const MAX_FORM_FIELDS = 0;

/**
 * Raw-body uploads (`Content-Type: image/*`, `application/pdf`, `application/octet-stream`, …) are streamed into
 * the spool folder as they arrive; multipart uploads are read by `readUploads`. JSON keeps Fastify's own parser.
 */
export function registerRawUploadParser(app: FastifyInstance, ctx: ServeContext): void {
  app.addContentTypeParser('*', async (req: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const query = req.query as { filename?: string } | undefined;
    const file = await ctx.spool.save(payload as import('node:stream').Readable, uploadDisplayName(query?.filename), ctx.config.limits.maxBytes);
    req.zk.spooled.push(file);
    return file;
  });
}

/**
 * Refuses a body that says it is too large before reading a byte of it (413).
 * @param maxFiles files the route accepts in one request.
 */
export function checkDeclaredLength(req: FastifyRequest, ctx: ServeContext, maxFiles: number): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!Number.isFinite(declared)) return;
  const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/');
  const max = ctx.config.limits.maxBytes * (multipart ? maxFiles : 1) + (multipart ? MULTIPART_OVERHEAD_BYTES * maxFiles : 0);
  if (declared > max) throw new ServeError(413, 'too_large', `request body of ${declared} bytes is over the limit of ${max} bytes (limits.maxBytes${multipart ? ' per file' : ''})`);
}

/**
 * The uploaded files of a request, spooled: the raw body, or every file part of a multipart body.
 * @throws ServeError 400 for no file, more than `maxFiles`, or form fields; 413 past limits.maxBytes per file;
 * 415 for a JSON or form body where a file was expected.
 */
export async function readUploads(req: FastifyRequest, ctx: ServeContext, maxFiles: number): Promise<SpooledFile[]> {
  if (req.isMultipart()) {
    const maxBytes = ctx.config.limits.maxBytes;
    // One file part more than allowed is let through busboy so the message can say what went wrong.
    const parts = req.parts({ limits: { fileSize: maxBytes, files: maxFiles + 1, fields: MAX_FORM_FIELDS + 1 } });
    for await (const part of parts) {
      if (part.type !== 'file') {
        throw new ServeError(400, 'bad_request', `unexpected form field ${JSON.stringify(part.fieldname)}: send options in the query string (?lang=&engine=&barcodes=)`);
      }
      if (req.zk.spooled.length >= maxFiles) {
        part.file.resume();
        throw new ServeError(400, 'bad_request', maxFiles === 1 ? 'send one file per /v1/scan request (POST /v1/jobs takes many)' : `at most ${maxFiles} files per job (serve.jobs.maxFiles)`);
      }
      req.zk.spooled.push(await ctx.spool.save(part.file, uploadDisplayName(part.filename, `upload-${req.zk.spooled.length + 1}`), maxBytes));
    }
  } else if (req.body !== undefined && req.body !== null && !isSpooled(req.body)) {
    throw new ServeError(415, 'unsupported_media_type', `expected an image or PDF as the body (or multipart/form-data), got ${req.headers['content-type'] ?? 'no Content-Type'}`);
  }
  if (req.zk.spooled.length === 0) throw new ServeError(400, 'bad_request', 'empty request: send an image or PDF as the body or as a multipart file part');
  return req.zk.spooled;
}

function isSpooled(body: unknown): body is SpooledFile {
  return typeof body === 'object' && body !== null && 'absPath' in body && 'remove' in body;
}
