import { cosmiconfig } from 'cosmiconfig';
import { ConfigError, errorMessage } from '../core/errors.js';
import { defaults, type ZakConfig } from './defaults.js';
import { envNameFor, schema, validateValue } from './schema.js';

/** Flattens nested objects into dotted keys; arrays and nulls are leaves. */
export function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

export interface LoadConfigOptions {
  cwd?: string;
  /** An explicit config file (`--config`). */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted keys from CLI flags; `undefined` values are ignored. */
  flags?: Record<string, unknown>;
  /** The flag each of `flags` came from (`preprocess.minQuality` → `--min-quality`), so errors name what was typed. */
  flagNames?: Record<string, string>;
}

export interface LoadedConfig {
  config: ZakConfig;
  /** Where the file layer came from, if any. */
  filepath: string | null;
  /** Keys whose value came from the environment. */
  fromEnv: string[];
  /** Keys set by the config file, the environment or a flag (not left at their default). */
  explicit: string[];
}

/**
 * Resolves the configuration: defaults ← config file (cosmiconfig) ← environment ← flags.
 * Every value is validated on the way in.
 * @throws ConfigError naming what was given (the flag, the variable, or the file and key) and what it must be.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const config = structuredClone(defaults) as ZakConfig;
  const target = config as unknown as Record<string, unknown>;

  let filepath: string | null = null;
  const explicit = new Set<string>();
  try {
    const explorer = cosmiconfig('zakocr', { searchStrategy: 'project' });
    const found = opts.configFile ? await explorer.load(opts.configFile) : await explorer.search(opts.cwd ?? process.cwd());
    if (found && !found.isEmpty) {
      filepath = found.filepath;
      if (found.config === null || typeof found.config !== 'object' || Array.isArray(found.config)) {
        throw new ConfigError('(root)', `${found.filepath}: must hold an object of settings, not ${Array.isArray(found.config) ? 'a list' : typeof found.config}`);
      }
      for (const [key, value] of Object.entries(flatten(found.config as Record<string, unknown>))) {
        if (key === '$schema') continue; // an editor's pointer to schema/config.schema.json, not a setting
        setPath(target, key, validateValue(key, value, { file: found.filepath }));
        explicit.add(key);
      }
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // The parser's message names the file and shows the spot; it is the whole message (and not repeated as a reason).
    throw new ConfigError(opts.configFile ?? '(config file)', `cannot read the config file: ${errorMessage(err)}`);
  }

  const fromEnv: string[] = [];
  for (const key of Object.keys(schema)) {
    const name = envNameFor(key);
    if (env[name] !== undefined) {
      setPath(target, key, validateValue(key, env[name], { env: name }));
      fromEnv.push(key);
      explicit.add(key);
    }
  }
  if (env.DATABASE_URL && !env[envNameFor('pg.url')]) config.pg.url = env.DATABASE_URL;
  if (env.ZAKOCR_API_KEYS && !env[envNameFor('serve.apiKeys')]) {
    config.serve.apiKeys = validateValue('serve.apiKeys', env.ZAKOCR_API_KEYS, { env: 'ZAKOCR_API_KEYS' }) as string[];
  }
  if (env.KAFKA_BROKERS && !env[envNameFor('kafka.brokers')]) {
    config.kafka.brokers = validateValue('kafka.brokers', env.KAFKA_BROKERS, { env: 'KAFKA_BROKERS' }) as string[];
  }

  for (const [key, value] of Object.entries(opts.flags ?? {})) {
    if (value === undefined) continue;
    const flag = opts.flagNames?.[key];
    setPath(target, key, validateValue(key, value, flag ? { flag } : undefined));
    explicit.add(key);
  }
  return { config, filepath, fromEnv, explicit: [...explicit] };
}

/** Keys that hold secrets: redacted in logs, errors and reports. */
export const SECRET_KEYS = ['pg.url', 'kafka.saslPassword', 'serve.apiKeys', 'serve.jwt.secret'] as const;
