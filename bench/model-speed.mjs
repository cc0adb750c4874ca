/**
 * Each PP-OCR model alone, per precision, in one process (used by `node bench/ocr-engines.mjs --only models`):
 * the inputs the reader would build (detector page tensor, classifier batches and recogniser crops of the SROIE
 * boxes, UW-III line crops), every precision run on the same input back to back, in alternating order, so load
 * changes hit both alike. Times are this process's CPU time (user + sys) and wall time per input.
 */
import sharp from 'sharp';
import { inkBounds } from '../dist/core/ink.js';
import { CLS_BATCH, CLS_WIDTH, clsCrop } from '../dist/ocr/paddle/cls.js';
import { cropQuad } from '../dist/ocr/paddle/crop.js';
import { prepareDetInput } from '../dist/ocr/paddle/det.js';
import { resolveModels } from '../dist/ocr/paddle/models.js';
import { DET_MARGIN, REC_HEIGHT, REC_MIN_WIDTH } from '../dist/ocr/paddle/reader.js';
import { ModelSession } from '../dist/ocr/paddle/session.js';
import { cropsToTensor } from '../dist/ocr/paddle/tensor.js';
import { defaults } from '../dist/config/defaults.js';

async function loadPage(file) {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, page: null };
}

/** Inputs per item for each model: { det: [tensor], cls: [tensors], rec: [tensors] }. */
async function receiptInputs(item) {
  const page = await loadPage(item.src);
  const det = await prepareDetInput(page, defaults.ocr.paddle.det.maxSide, DET_MARGIN);
  const ref = item.boxes;
  const crops = ref.map((b) => cropQuad(page, b.xs.map((x, i) => [x, b.ys[i]]), REC_HEIGHT)).filter((c) => c.width <= defaults.ocr.paddle.rec.maxWidth);
  return { det: [det], ...cropInputs(crops), crops };
}

/** Recogniser batches of `size` crops sorted by width, each padded to its widest crop (what rec.ts does for batchSize > 1). */
function recBatches(crops, size) {
  const sorted = [...crops].sort((a, b) => a.width - b.width);
  const out = [];
  for (let i = 0; i < sorted.length; i += size) {
    const batch = sorted.slice(i, i + size);
    out.push(cropsToTensor(batch, Math.max(REC_MIN_WIDTH, ...batch.map((c) => c.width))));
  }
  return out;
}

function cropInputs(crops) {
  const cls = [];
  for (let i = 0; i < crops.length; i += CLS_BATCH) cls.push(cropsToTensor(crops.slice(i, i + CLS_BATCH).map(clsCrop), CLS_WIDTH));
  return { cls, rec: crops.map((c) => cropsToTensor([c], Math.max(REC_MIN_WIDTH, c.width))) };
}

async function lineInputs(item) {
  const page = await loadPage(item.src);
  const [x, y, w, h] = inkBounds(page) ?? [0, 0, page.width, page.height];
  return cropInputs([cropQuad(page, [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], REC_HEIGHT)]);
}

/** CPU and wall ms of one input through one session. */
async function timeRun(session, inputs) {
  const c = process.cpuUsage();
  const t = performance.now();
  for (const x of inputs) await session.run(x.data, x.dims);
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall: performance.now() - t };
}

/**
 * @param {{ sroie: object[], uw3: object[], precisions: string[], threads: number, receipts?: number, recBatches?: number[] }} o
 * @returns rows { label, cells: [{ precision, model, ms, wallMs, speedup }] }
 */
export async function modelSpeeds(o) {
  const sets = {};
  for (const p of o.precisions) {
    const models = await resolveModels(undefined, p);
    sets[p] = {};
    for (const role of ['det', 'cls', 'rec']) sets[p][role] = { name: models[role].name, session: await ModelSession.open(models[role].path, models[role].name, { device: 'cpu', threads: o.threads }) };
  }
  const step = Math.max(1, Math.floor(o.sroie.length / (o.receipts ?? 16)));
  const receipts = o.sroie.filter((_, i) => i % step === 0);
  const groups = [
    { label: `det per SROIE receipt (${receipts.length})`, role: 'det', items: receipts, load: receiptInputs },
    { label: `cls per SROIE receipt (box crops, batches of ${CLS_BATCH})`, role: 'cls', items: receipts, load: receiptInputs },
    { label: 'rec per SROIE receipt (box crops, one per run)', role: 'rec', items: receipts, load: receiptInputs },
    ...(o.recBatches ?? []).map((b) => ({ label: `rec per SROIE receipt, batches of ${b} (sorted by width)`, role: `rec${b}`, model: 'rec', items: receipts, load: async (it) => { const r = await receiptInputs(it); return { ...r, [`rec${b}`]: recBatches(r.crops, b) }; } })),
    { label: `cls per UW-III line (${o.uw3.length})`, role: 'cls', items: o.uw3, load: lineInputs },
    { label: `rec per UW-III line (${o.uw3.length})`, role: 'rec', items: o.uw3, load: lineInputs },
  ];
  const cache = new Map();
  const model = (g) => g.model ?? g.role;
  const rows = [];
  for (const g of groups) {
    const total = Object.fromEntries(o.precisions.map((p) => [p, { cpu: 0, wall: 0 }]));
    for (const p of o.precisions) await timeRun(sets[p][model(g)].session, (await g.load(g.items[0]))[g.role]); // warm-up
    for (const [k, item] of g.items.entries()) {
      const key = `${item.src}\0${g.role}`;
      if (!cache.has(key)) cache.set(key, (await g.load(item))[g.role]);
      const inputs = cache.get(key);
      const order = k % 2 ? [...o.precisions].reverse() : o.precisions;
      for (const p of order) {
        const t = await timeRun(sets[p][model(g)].session, inputs);
        total[p].cpu += t.cpu;
        total[p].wall += t.wall;
      }
    }
    const base = total[o.precisions[0]].cpu;
    rows.push({
      label: g.label,
      cells: o.precisions.map((p, i) => ({
        precision: p, model: sets[p][model(g)].name, ms: total[p].cpu / g.items.length, wallMs: total[p].wall / g.items.length, speedup: i ? base / total[p].cpu : null,
      })),
    });
  }
  for (const p of o.precisions) for (const r of ['det', 'cls', 'rec']) await sets[p][r].session.dispose();
  return rows;
}
