import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/** The upload page's files, beside the sources (found from `src/serve/routes/` and from `dist/serve/routes/`). */
const PAGE_DIR = new URL('../../../src/serve/page/', import.meta.url);

const PAGE_FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
} as const;

/** Same-origin only; no inline script, so the page works under a strict CSP. */
const PAGE_CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/** Serves the upload page at `/` (read once at start-up; no auth: it asks for the API key itself). */
export async function registerPageRoutes(app: FastifyInstance): Promise<void> {
  for (const [route, { file, type }] of Object.entries(PAGE_FILES)) {
    const body = await readFile(new URL(file, PAGE_DIR), 'utf8');
    app.get(route, async (_req, reply) => reply.type(type).header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').send(body));
  }
}
