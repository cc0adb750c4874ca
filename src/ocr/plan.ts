/**
 * What an engine will load for a configuration, known before it loads anything: the progress display names the
 * models while they load, and `zakocr --version --verbose` computes the pipeline version a scan would stamp without
 * starting an engine. The names are the ones each engine's `init` reports in `EngineInfo.models` (the PP-OCR names
 * from models/manifest.json, the Tesseract language data variant); `plan.test.ts` checks they agree.
 */
import type { DeviceChoice, EngineName, Lang } from '../core/choices.js';
import type { EngineSettings } from '../core/types.js';
import { modelEntries, readManifest } from './paddle/models.js';
import { modelPrecision, paddleSettings } from './paddle/settings.js';
import { TESSDATA_VARIANT } from './tesseract/lang-data.js';

export interface PlannedModel {
  /** What the model does, short: det, cls, rec, or `tesseract eng`. */
  role: string;
  /** As records' `engine.models` name it. */
  name: string;
}

function paddleModels(settings: EngineSettings | undefined, device: DeviceChoice): PlannedModel[] {
  const manifest = readManifest();
  const paddle = paddleSettings(settings);
  // `auto` devices are planned as the CPU: telling a GPU apart needs a provider probe, which planning must not run.
  const precision = modelPrecision(paddle.precision, device === 'auto' ? 'cpu' : device, manifest.cpuDefault ?? 'fp32');
  const models = modelEntries(manifest, precision);
  const cls = paddle.cls.enabled;
  return [
    { role: 'det', name: models.det.name },
    ...(cls ? [{ role: 'cls', name: models.cls.name }] : []),
    { role: 'rec', name: models.rec.name },
  ];
}

function tesseractModels(langs: readonly Lang[]): PlannedModel[] {
  return (langs.length ? langs : (['eng'] as const)).map((l) => ({ role: `tesseract ${l}`, name: `tesseract-${l}-${TESSDATA_VARIANT}` }));
}

/**
 * The models `engine` loads for these languages and settings, in the order its `EngineInfo.models` lists them.
 * @throws MissingResourceError when models/manifest.json is unreadable (an engine's `init` would fail the same way).
 */
export function plannedModels(engine: EngineName, langs: readonly Lang[], settings?: EngineSettings, device: DeviceChoice = 'auto'): PlannedModel[] {
  switch (engine) {
    case 'none':
      return [];
    case 'tesseract':
      return tesseractModels(langs);
    case 'paddle':
      return paddleModels(settings, device);
    case 'auto':
      return [...paddleModels(settings, device), ...tesseractModels(langs)];
  }
}
