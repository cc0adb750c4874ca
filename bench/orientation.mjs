#!/usr/bin/env node
/**
 * Orientation evidence on UW-III lines, upright and turned by 180° (issue 14): for every line, the classifier's vote
 * and both engines' readings of both turns (PP-OCR on the 48-px crop, Tesseract on auto's re-read crop), after the
 * pipeline's preprocessing; then the decision of src/ocr/line-orientation.ts from PP-OCR's evidence alone, from all
 * evidence, and in a stress case (the classifier sure and wrong on every line, Tesseract's upside-down readings as
 * confident as its upright ones). Prints wrong turns and the lowest signed margin (strong = 2).
 *
 *   node bench/orientation.mjs [--save evidence.jsonl]     (needs npm run build; ~2 min of CPU)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { optionReader } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const D = (p) => import(path.join(root, 'dist', p));
const { preprocessPage } = await D('preprocess/page.js');
const { defaults } = await D('config/defaults.js');
const { resolveModels } = await D('ocr/paddle/models.js');
const { ModelSession } = await D('ocr/paddle/session.js');
const { cropQuad, rotate180, rotateQuad180 } = await D('ocr/paddle/crop.js');
const { classifyOrientation } = await D('ocr/paddle/cls.js');
const { recognizeCrops } = await D('ocr/paddle/rec.js');
const { parseCharset, allowedMask, isLatinTextChar } = await D('ocr/paddle/ctc.js');
const { inkBounds } = await D('core/ink.js');
const { rereadCrop } = await D('ocr/auto.js');
const { TesseractEngine } = await D('ocr/tesseract/engine.js');
const { decideOrientation } = await D('ocr/line-orientation.js');

const opt = optionReader(process.argv.slice(2));
const uw3 = path.join(root, '..', 'shared', 'datasets', 'uw3-printed-lines');
const items = fs.readFileSync(path.join(uw3, 'manifest.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const models = await resolveModels();
const cls = await ModelSession.open(models.cls.path, 'cls', { device: 'cpu', threads: 1 });
const rec = await ModelSession.open(models.rec.path, 'rec', { device: 'cpu', threads: 1 });
const charset = parseCharset(fs.readFileSync(models.dict.path, 'utf8'));
const latin = allowedMask(charset, isLatinTextChar);
const tess = new TesseractEngine();
await tess.init({ langs: ['eng'], concurrency: 1, device: 'cpu', threads: 1, settings: {} });
const { rec: r } = defaults.ocr.paddle;

async function evidence(file, turned) {
  let img = sharp(file).removeAlpha().toColourspace('srgb');
  if (turned) img = img.rotate(180);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const pre = await preprocessPage({ data, width: info.width, height: info.height, channels: info.channels, page: null }, { ...defaults.preprocess, upscale: true });
  const page = pre.page;
  // The line as the engine sees it: its truth turn is 0 unless exactly one of (turned, preprocessing flip) happened.
  const flipped = pre.steps.includes('orientation:180');
  const truth = turned !== flipped ? 180 : 0;
  const [x, y, w, h] = inkBounds(page) ?? [0, 0, page.width, page.height];
  const quad = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
  const crop = cropQuad(page, quad, 48);
  const [o] = await classifyOrientation(cls, [crop]);
  const p = await recognizeCrops(rec, [crop, rotate180(crop)], { batchSize: 1, maxWidth: r.maxWidth, minWidth: 64, charset, allowed: latin, spaceThreshold: r.spaceThreshold });
  const t = [];
  for (const q of [quad, rotateQuad180(quad)]) {
    const res = await tess.recognize(rereadCrop(page, q), { langs: ['eng'], layout: 'line' });
    t.push({ text: res.lines.map((l) => l.text).join(' '), confidence: res.lines.length ? res.lines.reduce((s, l) => s + l.confidence, 0) / res.lines.length : 0 });
  }
  return { file: path.basename(file), turned, truth, p180: o.p180, paddle: p.map((x) => ({ text: x.text, confidence: x.confidence })), tess: t };
}

const rows = [];
for (const it of items) for (const turned of [false, true]) rows.push(await evidence(path.join(uw3, it.image), turned));
await tess.dispose();
if (opt('save')) fs.writeFileSync(opt('save'), rows.map((x) => JSON.stringify(x)).join('\n') + '\n');

const readings = (engine, rs, conf = (k) => rs[k].confidence) => rs.map((x, k) => ({ engine, turn: k === 0 ? 0 : 180, text: x.text, confidence: conf(k) }));
const cases = {
  'PP-OCR and classifier': (e) => ({ p180: e.p180, readings: readings('paddle', e.paddle) }),
  'all evidence': (e) => ({ p180: e.p180, readings: [...readings('paddle', e.paddle), ...readings('tesseract', e.tess)] }),
  'stress: classifier wrong, Tesseract equally sure': (e) => ({
    p180: e.truth === 0 ? 0.99 : 0.01,
    readings: [...readings('paddle', e.paddle), ...readings('tesseract', e.tess, () => Math.max(e.tess[0].confidence, e.tess[1].confidence))],
  }),
};
console.log(`UW-III lines ${items.length} × upright/turned (load ${os.loadavg()[0].toFixed(1)})`);
for (const [name, build] of Object.entries(cases)) {
  const signed = rows.map((e) => { const d = decideOrientation(build(e)); return (d.turn === e.truth ? 1 : -1) * d.margin; });
  const wrong = signed.filter((m) => m <= 0).length;
  console.log(`  ${name.padEnd(48)} wrong ${wrong}/${rows.length}  lowest signed margin ${Math.min(...signed).toFixed(2)}  not strong ${signed.filter((m) => m > 0 && m < 2).length}`);
}
