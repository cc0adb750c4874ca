import { createHash } from 'node:crypto';
import type { EngineInfo } from '../core/types.js';
import { ZAKOCR_VERSION } from '../core/version.js';
import type { ZakConfig } from '../config/defaults.js';

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
