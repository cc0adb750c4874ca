import { readFileSync } from 'node:fs';
import { Argument, type Command } from 'commander';
import { configJsonSchema } from '../../config/json-schema.js';
import { ExitCode } from '../../core/exit-codes.js';

/** Package root: three levels above dist/cli/commands (and src/cli/commands). */
const packageFile = (name: string): URL => new URL(`../../../${name}`, import.meta.url);

const EXAMPLES = `
Examples:
  $ zakocr schema record > zakocr.record.schema.json   # the contract of every output record (JSON Schema 2020-12)
  $ zakocr schema config > zakocr.config.schema.json   # .zakocrrc keys, types, bounds and defaults
  $ zakocr scan ./in --out - | npx ajv-cli validate -s zakocr.record.schema.json -d /dev/stdin --spec=draft2020

The same files ship in the package: schema/record.schema.json and schema/config.schema.json.
Editors: put "$schema": "./node_modules/zakocr/schema/config.schema.json" in .zakocrrc.json, or
"# yaml-language-server: $schema=…" on the first line of a YAML .zakocrrc.`;

/** The JSON text `zakocr schema <name>` prints. */
export function schemaText(name: 'record' | 'config'): string {
  if (name === 'record') return readFileSync(packageFile('schema/record.schema.json'), 'utf8');
  const example = readFileSync(packageFile('.zakocrrc.example'), 'utf8');
  return JSON.stringify(configJsonSchema(example), null, 2) + '\n';
}

/** `zakocr schema record|config`: prints a JSON Schema on stdout. */
export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the output record or of the config file')
    .addArgument(new Argument('<name>', 'which schema').choices(['record', 'config']))
    .addHelpText('after', EXAMPLES)
    .action((name: 'record' | 'config') => {
      process.stdout.write(schemaText(name));
      process.exitCode = ExitCode.ok;
    });
}
