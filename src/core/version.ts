import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** zakocr's own version (package.json). */
export const ZAKOCR_VERSION: string = pkg.version;
