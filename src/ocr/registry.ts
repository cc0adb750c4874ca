import { UsageError } from '../core/errors.js';
import type { OcrEngine } from '../core/types.js';
import { createAutoEngine } from './auto.js';
import { NullEngine } from './null.js';
import { createPaddleEngine } from './paddle/engine.js';
import { TesseractEngine } from './tesseract/engine.js';

/** Engines by name. Each factory returns a fresh, uninitialised engine. */
export const engineFactories = {
  tesseract: (): OcrEngine => new TesseractEngine(),
  none: (): OcrEngine => new NullEngine(),
  paddle: (): OcrEngine => createPaddleEngine(),
  // PP-OCR first; unsure and Bengali lines re-read by Tesseract (ocr/auto.ts).
  auto: (): OcrEngine => createAutoEngine(() => new TesseractEngine()),
} satisfies Record<string, () => OcrEngine>;

export type EngineName = keyof typeof engineFactories;

/**
 * Creates an engine by registry name.
 * @throws UsageError listing the known engines.
 */
export function createEngine(name: string): OcrEngine {
  const factory = (engineFactories as Record<string, (() => OcrEngine) | undefined>)[name];
  if (!factory) throw new UsageError(`Unknown engine ${JSON.stringify(name)}; known engines: ${Object.keys(engineFactories).join(', ')}`);
  return factory();
}
