import { defaults } from './defaults.js';
import { schema, type KeySpec } from './schema.js';

/**
 * The config file's JSON Schema (2020-12), built from the validator's key specs (`schema.ts`) and `defaults`, so
 * there is one source of truth: `schema/config.schema.json` is this function's output (`npm run schema:write`) and a
 * test keeps the two equal. Descriptions come from the comments of `.zakocrrc.example`, which a test keeps complete.
 * The schema describes the canonical file form; the loader also accepts the strings that environment variables and
 * flags give ("4", "true", "a,b").
 */

export const CONFIG_SCHEMA_ID = 'urn:zakocr:config:v1';

/** Defaults that depend on the machine (CPU cores) are left out, so the file is the same everywhere. */
const MACHINE_DEPENDENT = new Set(['concurrency']);

type JsonSchema = Record<string, unknown>;

/** `host:port`, port 1–65535 (as `isHostPort` in schema.ts), without anchors. */
const HOST_PORT = '(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])';

/** One key's JSON Schema: the same bounds, values and nullability the validator enforces. */
export function keyJsonSchema(spec: KeySpec): JsonSchema {
  const nullable = 'nullable' in spec && spec.nullable === true;
  const typed = (type: string): string | string[] => (nullable ? [type, 'null'] : type);
  switch (spec.type) {
    case 'int':
    case 'number':
      return {
        type: typed(spec.type === 'int' ? 'integer' : 'number'),
        ...(spec.min !== undefined ? { minimum: spec.min } : {}),
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
      };
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return { type: typed('string') };
    case 'enum': {
      // The validator takes a YAML number for a numeric enum value (psm: 6), so the schema lists both spellings.
      const numeric = spec.values.filter((v) => /^\d+$/.test(v)).map(Number);
      return { enum: [...spec.values, ...numeric, ...(nullable ? [null] : [])] };
    }
    case 'string[]': {
      // A comma-separated string is the same list (`out: rows.csv`, `brokers: a:9092,b:9092`).
      const one = spec.values ? `(?:${spec.values.join('|')})` : spec.hostPort ? HOST_PORT : null;
      return {
        anyOf: [
          { type: 'array', items: spec.values ? { enum: [...spec.values] } : { type: 'string', ...(spec.hostPort ? { pattern: `^${HOST_PORT}$` } : {}) } },
          { type: 'string', ...(one ? { pattern: `^\\s*(?:${one}(?:\\s*,\\s*${one})*)?\\s*,?\\s*$` } : {}) },
        ],
      };
    }
  }
}

/**
 * Comments of `.zakocrrc.example` by dotted key: `key: value  # comment` documents `key`, a comment on a section
 * line (`export:  # …`) documents the section. Flow maps (`det: { … }`) document the section only.
 */
export function exampleDescriptions(exampleText: string): Record<string, string> {
  const out: Record<string, string> = {};
  const stack: Array<{ indent: number; key: string }> = [];
  for (const line of exampleText.split('\n')) {
    const m = /^( *)([A-Za-z][A-Za-z0-9]*):(.*)$/.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const key = [...stack.map((s) => s.key), m[2]].join('.');
    const rest = m[3];
    const hash = rest.search(/\s#\s/);
    const value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
    if (hash >= 0) out[key] = rest.slice(hash).replace(/^\s#\s*/, '').trim();
    if (value === '') stack.push({ indent, key });
  }
  return out;
}

function defaultAt(key: string): unknown {
  let node: unknown = defaults;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node;
}

/** The whole config file's schema, nested like the file, closed at every level (unknown keys are errors). */
export function configJsonSchema(exampleText = ''): JsonSchema {
  const described = exampleDescriptions(exampleText);
  const root: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'zakocr configuration (.zakocrrc, .zakocrrc.json/.yaml, "zakocr" in package.json)',
    description:
      'Precedence: this file < environment (ZAKOCR_<KEY> in upper snake case) < command-line flags. Generated from ' +
      'the validator in src/config/schema.ts; `zakocr schema config` prints it.',
    type: 'object',
    additionalProperties: false,
    properties: { $schema: { type: 'string', description: 'Path or URL of this schema, for editor completion.' } },
  };
  for (const [key, spec] of Object.entries(schema)) {
    const parts = key.split('.');
    let node = root;
    for (const [i, part] of parts.slice(0, -1).entries()) {
      const props = node.properties as Record<string, JsonSchema>;
      const section = parts.slice(0, i + 1).join('.');
      props[part] ??= {
        type: 'object',
        additionalProperties: false,
        ...(described[section] ? { description: described[section] } : {}),
        properties: {},
      };
      node = props[part];
    }
    const leaf = parts[parts.length - 1];
    (node.properties as Record<string, JsonSchema>)[leaf] = {
      ...keyJsonSchema(spec),
      ...(MACHINE_DEPENDENT.has(key) ? {} : { default: defaultAt(key) }),
      ...(described[key] ? { description: described[key] } : {}),
    };
  }
  return root;
}
