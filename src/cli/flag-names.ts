import type { Command } from 'commander';

/**
 * Which flag each config key comes from, read off the command's own options: every option's value is sent alone
 * through the command's `toConfig` mapping, and the key it lands on is that option's. So an error about
 * `preprocess.minQuality` can say `--min-quality 2`, with no second table to keep in step with the mapping.
 * Options whose value is derived rather than passed through (`--barcodes-only` → engine none) get no name: their
 * values are made by the mapping, not typed.
 */
export function flagNamesOf<F>(cmd: Command, toConfig: (flags: F) => Record<string, unknown>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const opt of cmd.options) {
    if (!opt.long) continue;
    const marker = `\u0000${opt.long}`;
    let mapped: Record<string, unknown>;
    try {
      mapped = toConfig({ [opt.attributeName()]: marker } as F);
    } catch {
      continue; // a mapping that parses its flag itself (export --split) names the flag in its own errors
    }
    for (const [key, value] of Object.entries(mapped)) if (value === marker) names[key] = opt.long;
  }
  return names;
}
