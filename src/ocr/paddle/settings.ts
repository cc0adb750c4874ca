/**
 * The paddle engine's settings, read from the validated `ocr` config section (`EngineInit.settings`), with the
 * project defaults for anything absent (engines built directly in tests get the same values as a CLI run).
 */
import { defaults } from '../../config/defaults.js';
import { MODEL_PRECISIONS, type ModelPrecision } from './models.js';

export interface PaddleSettings {
  /** Worker threads; 0 = automatic (see engine.ts). */
  workers: number;
  /** Requested model precision (engine.ts resolves 'auto' by device). */
  precision: 'auto' | ModelPrecision;
  det: { maxSide: number; thresh: number; boxThresh: number; unclipRatio: number; minSize: number };
  cls: { enabled: boolean; thresh: number };
  rec: { batchSize: number; imageHeight: number; maxWidth: number; spaceThreshold: number };
}

type Section = Record<string, unknown> | undefined;

function pick<T extends object>(base: T, over: Section): T {
  const out = { ...base } as Record<string, unknown>;
  for (const k of Object.keys(base)) if (over && over[k] !== undefined) out[k] = over[k];
  return out as T;
}

/** Merges `settings.paddle.{det,cls,rec}` over the defaults. */
export function paddleSettings(settings: Record<string, unknown> | undefined): PaddleSettings {
  const p = (settings?.paddle ?? {}) as Record<string, Section> & { workers?: unknown; precision?: unknown };
  const d = defaults.ocr.paddle;
  const workers = typeof p.workers === 'number' ? p.workers : d.workers;
  const precision = p.precision === 'auto' || (MODEL_PRECISIONS as readonly unknown[]).includes(p.precision) ? (p.precision as PaddleSettings['precision']) : d.precision;
  return { workers, precision, det: pick(d.det, p.det), cls: pick(d.cls, p.cls), rec: pick(d.rec, p.rec) };
}

/** The model set for a device: 'auto' is the manifest's CPU set on the CPU, the package's float graphs on a GPU. */
export function modelPrecision(requested: PaddleSettings['precision'], device: 'cpu' | 'cuda' | 'webgpu', cpuDefault: ModelPrecision): ModelPrecision {
  if (requested !== 'auto') return requested;
  return device === 'cpu' ? cpuDefault : 'fp32';
}

/** Intra-op threads per session: the configured value, else cores shared out over the pipeline's concurrency. */
export function sessionThreads(configured: number, concurrency: number, cores: number): number {
  if (configured > 0) return configured;
  return Math.max(1, Math.floor(cores / Math.max(1, concurrency)));
}
