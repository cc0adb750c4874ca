import { copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/config/defaults.js';
import { flatten, loadConfig } from '../../src/config/load.js';
import { schema } from '../../src/config/schema.js';

describe('.zakocrrc.example', () => {
  it('documents every key, and every documented key validates', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zk-rc-'));
    const file = path.join(dir, '.zakocrrc');
    copyFileSync(path.resolve(__dirname, '../../.zakocrrc.example'), file);
    const { filepath } = await loadConfig({ configFile: file, env: {} });
    expect(filepath).toBe(file);
    const raw = (await cosmiconfig('zakocr').load(file))!.config as Record<string, unknown>;
    const documented = Object.keys(flatten(raw));
    expect(documented.sort()).toEqual(Object.keys(schema).sort());
  });

  it('has one validator per default key', () => {
    expect(Object.keys(flatten(defaults as unknown as Record<string, unknown>)).sort()).toEqual(Object.keys(schema).sort());
  });
});
