/**
 * A products-catalog outage (PostgreSQL unreachable: a TCP proxy in front of the real server, closed) through the
 * real pipeline — real source, decoder, barcode reader, journaled file outputs, run manifest — with the real
 * PostgreSQL catalog: the files keep their barcodes and come out `needs_review` with `catalog_unavailable`, never
 * `failed`; a `--resume` with the catalog back asks again and fills the product, each file once in the output,
 * while a file without barcodes (nothing to look up) is not redone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import bwipjs from 'bwip-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ZakConfig } from '../../src/config/defaults.js';
import type { Logger } from '../../src/core/types.js';
import { createPgCatalog } from '../../src/db/catalog.js';
import { runScan } from '../../src/pipeline/run-scan.js';
import { createTestDb, type TestDb } from '../helpers/pg-db.js';
import { runCli } from '../helpers/sink-fixtures.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { readJsonl, tempDir, writeTextImage } from './scan-helpers.js';

const CODES: Record<string, string> = { 'a.png': '5901234123457', 'b.png': '8901030865275', 'c.png': '9780201379624' };

let db: TestDb;
let proxy: TcpProxy;
let dir: string;

beforeAll(async () => {
  db = await createTestDb('zk_catalog_outage');
  dir = await tempDir('catalog-outage');
  const m = await runCli(['db', 'migrate', '--pg', db.url], dir);
  expect(m.code, m.stderr).toBe(0);
  for (const [name, code] of Object.entries(CODES)) {
    await db.query("INSERT INTO products (barcode, gtin, name, source) VALUES ($1, $2, $3, 'import')", [code, code.padStart(14, '0'), `Product ${name}`]);
  }
  await mkdir(path.join(dir, 'in'));
  for (const [name, code] of Object.entries(CODES)) {
    const png = await bwipjs.toBuffer({ bcid: 'ean13', text: code, scale: 3, height: 14, includetext: false, paddingwidth: 12, paddingheight: 12, backgroundcolor: 'FFFFFF' });
    await writeFile(path.join(dir, 'in', name), png);
  }
  await writeTextImage(path.join(dir, 'in'), 'd-text.png', ['No barcode here'], { fontSize: 22 });
  const target = new URL(db.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

async function scan(resume: boolean, warnings: string[]) {
  const out = path.join(dir, 'r.jsonl');
  const { config } = await loadConfig({ cwd: dir, env: {}, flags: { out: [out], engine: 'none', concurrency: 2, resume } });
  const log: Logger = { info: () => {}, debug: () => {}, error: (m) => void warnings.push(m), warn: (m) => void warnings.push(m) };
  // The catalog of `--pg`, pointed at the proxy; no PostgreSQL sink: this is about the lookup.
  const catalog = createPgCatalog({ pg: { ...(config as ZakConfig).pg, url: proxy.url(db.url) }, createProducts: false }, log);
  const result = await runScan({ inputs: ['in'], config: config as ZakConfig, log, cwd: dir, deps: { catalog } });
  return { result, records: await readJsonl(out) };
}

describe('products catalog outage', () => {
  it('keeps barcodes as needs_review catalog_unavailable, and --resume with the catalog back fills the product', async () => {
    await proxy.down();
    const warnings: string[] = [];
    const first = await scan(false, warnings);
    expect(first.result.exitCode).toBe(0);
    expect(first.records.map((r) => path.basename(r.file))).toEqual(['a.png', 'b.png', 'c.png', 'd-text.png']);
    for (const r of first.records.slice(0, 3)) {
      expect({ status: r.status, error: r.error, product: r.product }).toEqual({ status: 'needs_review', error: null, product: null });
      expect(r.barcodes.map((b) => b.text)).toEqual([CODES[path.basename(r.file)]]);
      expect(r.review).toContain('catalog_unavailable');
    }
    expect(first.records[3].review).not.toContain('catalog_unavailable');
    expect(warnings.some((w) => /products catalog: .*ECONNREFUSED.*catalog_unavailable/.test(w)), warnings.join('\n')).toBe(true);

    await proxy.up();
    const second = await scan(true, []);
    expect(second.result.exitCode).toBe(0);
    expect(second.records.map((r) => path.basename(r.file))).toEqual(['a.png', 'b.png', 'c.png', 'd-text.png']);
    for (const r of second.records.slice(0, 3)) {
      expect(r.review).not.toContain('catalog_unavailable');
      expect(r.product).toMatchObject({ matchedBy: 'barcode', name: `Product ${path.basename(r.file)}`, barcode: CODES[path.basename(r.file)] });
      expect(r.runId).not.toBe(first.records[0].runId);
    }
    // Nothing to look up: done in the first run, carried over.
    expect(second.records[3].runId).toBe(first.records[3].runId);
  }, 120_000);
});
