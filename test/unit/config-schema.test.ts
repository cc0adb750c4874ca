import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { schemaText } from '../../src/cli/commands/schema.js';
import { defaults } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load.js';
import { schema, validateValue, type KeySpec } from '../../src/config/schema.js';

const root = path.resolve(__dirname, '../..');
const shipped = JSON.parse(readFileSync(path.join(root, 'schema', 'config.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(shipped);

/** `{ a: { b: value } }` for key `a.b`. */
function nested(key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

/** Values around each spec's edges, in the canonical (file) form both sides must judge alike. */
function samples(spec: KeySpec): unknown[] {
  const nullable = 'nullable' in spec && spec.nullable ? [null] : [];
  switch (spec.type) {
    case 'int':
    case 'number': {
      const edges = [spec.min, spec.max, spec.min !== undefined ? spec.min - 1 : -1e9, spec.max !== undefined ? spec.max + 1 : 1e12];
      return [...edges.filter((v) => v !== undefined), 0.5, (spec.min ?? 0) + 0.25, 'many', true, [], ...nullable, null];
    }
    case 'boolean':
      return [true, false, 3, null, {}];
    case 'string':
      return ['x', 5, false, ...nullable, null];
    case 'enum':
      return [...spec.values, ...spec.values.filter((v) => /^\d+$/.test(v)).map(Number), 'bogus', 7, null];
    case 'string[]':
      return [[], ['x'], [1], 'x', 'x, y', '', ...(spec.values ? [[spec.values[0]], ['bogus'], spec.values.slice(0, 2).join(', '), `${spec.values[0]},bogus`] : []),
        ...(spec.hostPort ? [['b:9092'], 'b:9092, [::1]:65535', ['host:99999'], 'b:9092,host:0', 'b:9092,', ['b:'], 'kafka-0.svc:1'] : [])];
  }
}

describe('schema/config.schema.json', () => {
  it('is what `zakocr schema config` generates from the validator (run `npm run schema:write` after a config change)', () => {
    expect(JSON.parse(schemaText('config'))).toEqual(shipped);
  });

  it('accepts exactly what the validator accepts, key by key, at every edge', () => {
    const disagreements: string[] = [];
    for (const [key, spec] of Object.entries(schema)) {
      for (const value of samples(spec)) {
        let byValidator = true;
        try { validateValue(key, value); } catch { byValidator = false; }
        const bySchema = validate(nested(key, value));
        if (bySchema !== byValidator) disagreements.push(`${key} = ${JSON.stringify(value)}: schema ${bySchema}, validator ${byValidator}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('accepts the defaults and .zakocrrc.example, and refuses unknown keys at every level', () => {
    const { concurrency: _machineDependent, ...rest } = defaults;
    expect(validate(rest), JSON.stringify(validate.errors)).toBe(true);
    const example = parseYaml(readFileSync(path.join(root, '.zakocrrc.example'), 'utf8')) as object;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ concurency: 2 })).toBe(false);
    expect(validate({ ocr: { paddle: { det: { boxTresh: 0.5 } } } })).toBe(false);
  });

  it('carries the example file\'s comments as descriptions for editor hovers', () => {
    const props = (shipped as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> }).properties;
    expect(props.device.description).toContain('never falls back silently');
    expect(props.limits.properties!.timeoutMs.description).toContain('time limit per file');
    expect(props.export.description).toContain('retraining sets');
  });

  it('a "$schema" key in a config file is for editors: the loader skips it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zk-rc-schema-'));
    const file = path.join(dir, '.zakocrrc.json');
    writeFileSync(file, JSON.stringify({ $schema: './node_modules/zakocr/schema/config.schema.json', concurrency: 3 }));
    const { config } = await loadConfig({ configFile: file, env: {} });
    expect(config.concurrency).toBe(3);
    expect(validate(JSON.parse(readFileSync(file, 'utf8')))).toBe(true);
  });
});
