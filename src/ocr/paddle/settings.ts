/**
 * The paddle engine's settings, read from the validated `ocr` config section (`EngineInit.settings`), with the
 * project defaults for anything absent (engines built directly in tests get the same values as a CLI run).
 */
import { defaults } from '../../config/defaults.js';
import { PRECISION_CHOICES, isOneOf, type ModelPrecision, type PrecisionChoice } from '../../core/choices.js';
import type { EngineSettings, OcrSettings } from '../../core/types.js';

export type PaddleSettings = OcrSettings['paddle'];

/** `over`'s values for the keys `base` has, else `base`'s (undefined never overrides). */
function merged<T extends object>(base: T, over: Partial<T> | undefined): T {
  const out = { ...base };
  for (const k of Object.keys(base) as Array<keyof T>) if (over?.[k] !== undefined) out[k] = over[k] as T[keyof T];
  return out;
}

/** Merges `settings.paddle.{workers,precision,det,cls,rec}` over the defaults. */
export function paddleSettings(settings: EngineSettings | undefined): PaddleSettings {
  const p = settings?.paddle;
  const d = defaults.ocr.paddle;
  return { workers: p?.workers ?? d.workers, precision: isOneOf(PRECISION_CHOICES, p?.precision) ? p.precision : d.precision, det: merged(d.det, p?.det), cls: merged(d.cls, p?.cls), rec: merged(d.rec, p?.rec) };
}

/** The model set for a device: 'auto' is the manifest's CPU set on the CPU, the package's float graphs on a GPU. */
export function modelPrecision(requested: PrecisionChoice, device: 'cpu' | 'cuda' | 'webgpu', cpuDefault: ModelPrecision): ModelPrecision {
  if (requested !== 'auto') return requested;
  return device === 'cpu' ? cpuDefault : 'fp32';
}

/** Intra-op threads per session: the configured value, else cores shared out over the pipeline's concurrency. */
export function sessionThreads(configured: number, concurrency: number, cores: number): number {
  if (configured > 0) return configured;
  return Math.max(1, Math.floor(cores / Math.max(1, concurrency)));
}
