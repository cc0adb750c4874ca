/**
 * Field scoring shared by bench/fields.mjs and bench/generalization.mjs: normalisation written independently of
 * src/extract (so the scorer does not share the extractor's bugs), the acceptance checks' comparisons ported, a
 * strict comparison, tallies per development / check half (`splitHalf` from dist/bench/split.js), and the
 * ground-truth line loaders (SROIE box files, generated receipts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const { splitHalf } = await import(path.join(root, 'dist', 'bench', 'split.js'));

const MONTHS = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const year = (y) => (y.length === 2 ? 2000 + +y : +y);
export const iso = (y, mo, d) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** A SROIE label date (day first: 25/12/2018, 15 JUN 18, 2018/02/22) or an ISO date → ISO. */
export function expectedDate(s) {
  const t = String(s).trim().toUpperCase();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$/.exec(t);
  if (m) return iso(year(m[3]), +m[2], +m[1]);
  m = /^(\d{1,2})[\s-]*([A-Z]{3})[A-Z]*[\s-]*(\d{2,4})$/.exec(t);
  if (m && MONTHS[m[2]]) return iso(year(m[3]), MONTHS[m[2]], +m[1]);
  return null;
}
const money = (s) => { const v = Number(String(s).replace(/[^\d.]/g, '')); return Number.isFinite(v) ? Math.round(v * 100) / 100 : null; };
export const normName = (s) => String(s ?? '').normalize('NFC').toUpperCase().replace(/\s+/g, '');
/** Addresses: case, whitespace and punctuation folded (labels and receipts disagree on commas and dots). */
export const normAddress = (s) => String(s ?? '').normalize('NFC').toUpperCase().replace(/[\s.,;:]+/g, '');
export const val = (f) => (f && typeof f === 'object' ? f.value : f);

/** Levenshtein distance (for the address similarity). */
export function lev(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] !== b[j - 1])));
    prev = cur;
  }
  return prev[b.length];
}

/** The SROIE extraction acceptance check's own comparisons, ported (total / date / company). */
export function acceptanceHits(fields, key) {
  const num = (x) => { const v = Number(String(x).replace(/,/g, '')); return x === null || x === undefined || x === '' || !Number.isFinite(v) ? null : Math.round(v * 100) / 100; };
  const t = num(val(fields.total)) !== null && num(val(fields.total)) === num(key.total);
  let d = false;
  const got = val(fields.date);
  if (got) {
    const g = String(got).match(/\d+/g) ?? []; const e = key.date.match(/\d+/g) ?? [];
    const parts = (ds) => new Set(ds.map((x) => (x.length === 2 && ds.length === 3 && x === ds[ds.length - 1] ? +x + 2000 : +x)));
    const a = parts(g); const b = parts(e);
    d = a.size === b.size && [...a].every((x) => b.has(x));
  }
  const m = val(fields.merchant);
  const c = Boolean(m) && normName(m) === normName(key.company);
  return { total: t, date: d, company: c, address: strictHits(fields, key).address };
}

/** Strict: totals to the cent (currency marks parsed), ISO dates, names and addresses folded. */
export function strictHits(fields, key) {
  const t = val(fields.total);
  const d = val(fields.date);
  const a = val(fields.address);
  const company = key.company ?? key.merchant;
  return {
    total: t !== undefined && money(key.total) === Math.round(Number(t) * 100) / 100,
    date: d !== undefined && expectedDate(key.date) === d,
    company: normName(val(fields.merchant)) === normName(company),
    address: key.address !== undefined && a !== undefined && normAddress(a) === normAddress(key.address),
  };
}

export const FIELDS = ['total', 'date', 'company', 'address'];
const BINS = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001];

export function newTally() {
  return {
    n: 0, acc: { total: 0, date: 0, company: 0, address: 0 }, strict: { total: 0, date: 0, company: 0, address: 0 },
    addressSim: 0, rel: [], misses: [], items: { docs: 0, n: 0, sumOk: 0 },
  };
}

/** Adds one document to a tally (and to its half's tally when `halves` is given). */
export function score(tally, id, fields, key, halves, file) {
  const targets = [tally, ...(halves && file ? [halves[splitHalf(file)]] : [])];
  for (const t of targets) scoreOne(t, id, fields, key);
}

function scoreOne(tally, id, fields, key) {
  tally.n += 1;
  const items = fields.lineItems ?? [];
  if (items.length) {
    tally.items.docs += 1;
    tally.items.n += items.length;
    const sum = Math.round(items.reduce((a, i) => a + (i.amount ?? 0), 0) * 100) / 100;
    if ([val(fields.total), val(fields.subtotal)].some((v) => typeof v === 'number' && Math.abs(v - sum) < 0.006)) tally.items.sumOk += 1;
  }
  const a = acceptanceHits(fields, key); const s = strictHits(fields, key);
  if (key.address !== undefined) {
    const got = normAddress(val(fields.address)); const want = normAddress(key.address);
    tally.addressSim += want.length ? Math.max(0, 1 - lev(got, want) / want.length) : 0;
  }
  for (const f of FIELDS) {
    if (a[f]) tally.acc[f] += 1;
    if (s[f]) tally.strict[f] += 1;
    const fv = fields[f === 'company' ? 'merchant' : f];
    if (f !== 'address' && fv && typeof fv.confidence === 'number') tally.rel.push({ field: f, c: fv.confidence, ok: s[f] });
    if (!s[f]) tally.misses.push(`${id} ${f}: got ${JSON.stringify(val(fv))} (${fv?.confidence ?? '-'}) want ${JSON.stringify(f === 'company' ? key.company ?? key.merchant : key[f])}`);
  }
}

export const pct = (x, n) => (n ? (100 * x / n).toFixed(1).padStart(5) + '%' : '   - ');

export function printTally(name, t, base) {
  console.log(`\n${name}  (n=${t.n}; line items on ${t.items.docs} receipts, ${t.items.n} items, sum = total/subtotal on ${t.items.sumOk})`);
  console.log('  field     acceptance-normalised   strict (currency/month-name aware)   naive baseline (strict)');
  for (const f of FIELDS) {
    console.log(`  ${f.padEnd(8)}  ${pct(t.acc[f], t.n)}                  ${pct(t.strict[f], t.n)}                              ${base ? pct(base.strict[f], base.n) : '   -  '}`);
  }
  console.log(`  address similarity (1 − edit distance / length, folded): ${pct(t.addressSim, t.n)}`);
}

/** The development / check halves side by side (strict figures). */
export function printHalves(name, halves) {
  console.log(`\n  ${name} by half (strict): field   dev (n=${halves.dev.n})   check (n=${halves.check.n})   gap`);
  for (const f of FIELDS) {
    const d = halves.dev.n ? halves.dev.strict[f] / halves.dev.n : 0;
    const c = halves.check.n ? halves.check.strict[f] / halves.check.n : 0;
    console.log(`    ${f.padEnd(8)}  ${pct(halves.dev.strict[f], halves.dev.n)}   ${pct(halves.check.strict[f], halves.check.n)}   ${((c - d) * 100).toFixed(1)} pt`);
  }
}

export function reliability(name, rel) {
  console.log(`\n  reliability (${name}): confidence bin → fields, accuracy`);
  for (let b = 0; b < BINS.length - 1; b++) {
    const inBin = rel.filter((r) => r.c >= BINS[b] && r.c < BINS[b + 1]);
    const ok = inBin.filter((r) => r.ok).length;
    const per = ['total', 'date', 'company'].map((f) => { const x = inBin.filter((r) => r.field === f); return `${f} ${x.filter((r) => r.ok).length}/${x.length}`; }).join(', ');
    console.log(`    [${BINS[b].toFixed(2)}, ${Math.min(1, BINS[b + 1]).toFixed(2)}${b === BINS.length - 2 ? ']' : ')'}  n=${String(inBin.length).padStart(3)}  acc ${pct(ok, inBin.length)}   (${per})`);
  }
  const hi = rel.filter((r) => r.c >= 0.9);
  const hiOk = hi.filter((r) => r.ok).length;
  console.log(`    confidence ≥ 0.90: ${hiOk}/${hi.length} correct = ${pct(hiOk, hi.length)} (goal ≥ 95%)`);
  return { n: hi.length, correct: hiOk };
}

/** SROIE box-file rows → OCR-like lines (one per box, with box and quad). */
export function sroieLines(csv) {
  return fs.readFileSync(csv, 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((row) => {
    const parts = row.split(',');
    const c = parts.slice(0, 8).map(Number);
    const text = parts.slice(8).join(',');
    const xs = [c[0], c[2], c[4], c[6]]; const ys = [c[1], c[3], c[5], c[7]];
    const x = Math.min(...xs); const y = Math.min(...ys);
    return { text, confidence: 1, engine: 'gt', box: [x, y, Math.max(...xs) - x, Math.max(...ys) - y], quad: [[c[0], c[1]], [c[2], c[3]], [c[4], c[5]], [c[6], c[7]]] };
  });
}

/** A generated receipt set (fixtures/receipts.mjs): its manifest, or null when not generated. */
export function fixtureManifest(dir) {
  const file = path.join(dir, 'manifest.jsonl');
  if (!fs.existsSync(file)) return null;
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A generated receipt's key in SROIE's names (company = merchant). */
export const fixtureKey = (m) => ({ ...m.fields, company: m.fields.merchant, total: String(m.fields.total) });

/** JSONL records keyed by base name. */
export function recordsByName(jsonl) {
  return new Map(fs.readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((r) => [path.basename(r.file), r]));
}
