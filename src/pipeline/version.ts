import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EngineInfo } from '../core/types.js';
import type { ZakConfig } from '../config/defaults.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** zakocr's own version (package.json). */
export const ZAKOCR_VERSION: string = pkg.version;

/**
 * Identifies everything that changes a file's results: zakocr's version, the engine and its models,
 * and the settings of the result-changing stages. Two runs with the same version produce the same records,
 * so `--resume` may skip and sinks may upsert on (sha256, page, pipelineVersion).
 */
export function pipelineVersion(config: ZakConfig, engine: EngineInfo): string {
  const relevant = {
    engine: [engine.name, ...engine.models],
    lang: config.lang,
    preprocess: config.preprocess,
    ocr: config.ocr,
    barcode: config.barcode,
    extract: config.extract,
  };
  const digest = createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 10);
  return `${ZAKOCR_VERSION}+${digest}`;
}
