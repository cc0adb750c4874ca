import { describe, expect, it } from 'vitest';
import type { EngineName, Lang } from '../core/choices.js';
import { defaults } from '../config/defaults.js';
import { plannedModels } from './plan.js';
import { createEngine } from './registry.js';

describe('plannedModels', () => {
  it.each<[string, EngineName, Lang[], boolean, string[]]>([
    ['engine none loads nothing', 'none', ['eng'], true, []],
    ['tesseract: one traineddata per language, in order', 'tesseract', ['ben', 'eng'], true, ['tesseract ben', 'tesseract eng']],
    ['tesseract with no language reads English', 'tesseract', [], true, ['tesseract eng']],
    ['paddle without the classifier', 'paddle', ['eng'], false, ['det', 'rec']],
    ['auto: PP-OCR then Tesseract', 'auto', ['eng'], true, ['det', 'cls', 'rec', 'tesseract eng']],
  ])('%s', (_label, engine, langs, cls, roles) => {
    const settings = { paddle: { cls: { enabled: cls } } };
    expect(plannedModels(engine, langs, settings).map((m) => m.role)).toEqual(roles);
  });

  // The plan must name exactly what init reports: records' engine.models feed the pipeline version.
  it.each<[EngineName, Lang[]]>([
    ['tesseract', ['ben', 'eng']],
    ['auto', ['eng']],
  ])('names what %s reports after init (%j)', async (name, langs) => {
    const engine = createEngine(name);
    try {
      const info = await engine.init({ langs, concurrency: 1, device: 'cpu', threads: 1, settings: defaults.ocr });
      expect(plannedModels(name, langs, defaults.ocr).map((m) => m.name)).toEqual(info.models);
    } finally {
      await engine.dispose();
    }
  }, 120_000);
});
