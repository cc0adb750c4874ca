import type { Command } from 'commander';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check models, language data, native libraries, GPU, database and broker; print what is wrong and how to fix it')
    .option('--pg <url>', 'also check this PostgreSQL URL (or DATABASE_URL)')
    .option('--kafka <brokers>', 'also check these Kafka brokers (or KAFKA_BROKERS)')
    .option('--config <file>', 'config file')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', `
Examples:
  $ zakocr doctor                                   # node, sharp, onnxruntime + models, Tesseract data, GPU
  $ zakocr doctor --pg postgres://zak@db/pos --kafka broker:9092
  $ zakocr doctor --json | jq '.[] | select(.status == "fail")'

Each line is ok, warn, FAIL or skip, with a fix for what is not ok. Exit codes: 0 nothing failed · 2 something failed.`)
    .action(async (flags: { pg?: string; kafka?: string; config?: string; json?: boolean }) => {
      const { runDoctor } = await import('../doctor/run.js');
      process.exitCode = await runDoctor({ configFile: flags.config, pg: flags.pg, kafka: flags.kafka, json: flags.json });
    });
}
