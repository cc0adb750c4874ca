import { UsageError } from '../core/errors.js';
import type { OcrEngine } from '../core/types.js';
import { NullEngine } from './null.js';
import { TesseractEngine } from './tesseract/engine.js';

/** Engines by name. Each factory returns a fresh, uninitialised engine. */
export const engineFactories = {
  tesseract: (): OcrEngine => new TesseractEngine(),
  none: (): OcrEngine => new NullEngine(),
  // Until the neural engine lands, `auto` is Tesseract alone (the record's engine.name says so).
  auto: (): OcrEngine => new TesseractEngine(),
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
