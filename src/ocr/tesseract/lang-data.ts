import { copyFileSync, existsSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MissingResourceError } from '../../core/errors.js';
import type { Lang } from '../../core/types.js';

const require = createRequire(import.meta.url);

/** `4.0.0_best_int`: the LSTM "best" models, integer-quantised (what tesseract.js itself picks for LSTM-only). */
export const TESSDATA_VARIANT = '4.0.0_best_int';

/** Path of a language's traineddata inside its npm package (`@tesseract.js-data/<lang>`). */
export function langDataPath(lang: Lang): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`@tesseract.js-data/${lang}/package.json`);
  } catch (err) {
    throw new MissingResourceError(`Tesseract language data for '${lang}' is not installed (npm package @tesseract.js-data/${lang})`, {
      hint: `Run: ONNXRUNTIME_NODE_INSTALL=skip npm install @tesseract.js-data/${lang}`,
      cause: err,
    });
  }
  return path.join(path.dirname(pkgJson), TESSDATA_VARIANT, `${lang}.traineddata.gz`);
}

/**
 * The language directory for tesseract.js `langPath`. It checks the file exists first: a missing
 * language file would otherwise kill the process from inside the worker.
 * @throws MissingResourceError naming the file and the install command.
 */
export function langDir(lang: Lang): string {
  const file = langDataPath(lang);
  if (!existsSync(file)) {
    throw new MissingResourceError(`Tesseract language file missing: ${file}`, {
      hint: `Reinstall it: ONNXRUNTIME_NODE_INSTALL=skip npm install @tesseract.js-data/${lang}`,
    });
  }
  return path.dirname(file);
}

/**
 * One `langPath` directory holding every requested language: the npm packages keep each language in
 * its own folder, so we link them side by side (a copy where links are not allowed).
 * @throws MissingResourceError when a language file is missing.
 */
export function tessdataDir(langs: Lang[]): string {
  if (langs.length === 1) return langDir(langs[0]);
  const dir = path.join(os.tmpdir(), `zakocr-tessdata-${process.getuid?.() ?? 'u'}-${TESSDATA_VARIANT}`);
  mkdirSync(dir, { recursive: true });
  for (const lang of langs) {
    langDir(lang);
    const src = langDataPath(lang);
    const dst = path.join(dir, `${lang}.traineddata.gz`);
    let linked: string | null = null;
    try {
      linked = readlinkSync(dst);
    } catch {
      linked = null;
    }
    if (linked === src) continue;
    rmSync(dst, { force: true });
    try {
      symlinkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
  }
  return dir;
}
