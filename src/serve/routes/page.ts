import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { INDEX_HTML } from '../page/index-html.js';

/** The page's script: `src/serve/page/app.js`, emitted by tsc to `dist/serve/page/app.js` (found from either). */
const APP_JS = new URL('../page/app.js', import.meta.url);

/** Same-origin only; no inline script, so the page works under a strict CSP. */
const PAGE_CSP = "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

/** Serves the upload page at `/` (read once at start-up; no auth: it asks for the API key itself). */
export async function registerPageRoutes(app: FastifyInstance): Promise<void> {
  const pages = [
    { route: '/', type: 'text/html; charset=utf-8', body: INDEX_HTML },
    { route: '/app.js', type: 'text/javascript; charset=utf-8', body: await readFile(APP_JS, 'utf8') },
  ];
  for (const { route, type, body } of pages) {
    app.get(route, async (_req, reply) => reply.type(type).header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').send(body));
  }
}
