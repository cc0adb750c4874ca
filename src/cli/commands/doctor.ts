import type { Command } from 'commander';

export function registerDoctorCommand(program: Command): void {
  program.command('doctor').description('check models, language data, native libraries, GPU, database and broker').action(async () => {
    const { runDoctor } = await import('../doctor/run.js');
    process.exitCode = await runDoctor();
  });
}
