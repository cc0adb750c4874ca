import { ENGINE_NAMES, isOneOf, type EngineName } from '../core/choices.js';
import { UsageError } from '../core/errors.js';
import type { OcrEngine } from '../core/types.js';
import { createAutoEngine } from './auto.js';
import { NullEngine } from './null.js';
import { createPaddleEngine, PaddleEngine } from './paddle/engine.js';
import { TesseractEngine } from './tesseract/engine.js';

/** Engines by name (one per ENGINE_NAMES entry). Each factory returns a fresh, uninitialised engine. */
export const engineFactories = {
  tesseract: (): OcrEngine => new TesseractEngine(),
  none: (): OcrEngine => new NullEngine(),
  paddle: (): OcrEngine => createPaddleEngine(),
  // PP-OCR (Bengali allowed: auto routes it) first; unsure and Bengali lines re-read by Tesseract (ocr/auto.ts), whose
  // workers start on the first re-read.
  auto: (): OcrEngine => createAutoEngine(new PaddleEngine({ latinOnly: false }), () => new TesseractEngine({ startOnInit: false })),
} satisfies Record<EngineName, () => OcrEngine>;

/**
 * Creates an engine by registry name.
 * @throws UsageError listing the known engines.
 */
export function createEngine(name: string): OcrEngine {
  if (!isOneOf(ENGINE_NAMES, name)) throw new UsageError(`Unknown engine ${JSON.stringify(name)}; known engines: ${Object.keys(engineFactories).join(', ')}`);
  return engineFactories[name]();
}
