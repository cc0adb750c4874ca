/** Process exit codes (SPEC.md "Exit codes"). Only `cli/exit.ts` turns them into a process exit. */
export const ExitCode = {
  ok: 0,
  filesFailed: 1,
  usage: 2,
  sinkFailed: 3,
  regression: 4,
  internal: 70,
  interrupted: 130,
  /** Stopped by SIGTERM after finishing the work in progress (`zakocr serve`, `zakocr worker`). */
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
