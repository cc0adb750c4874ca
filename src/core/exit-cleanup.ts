/**
 * What must happen when the process has to exit at once (a second Ctrl-C or SIGTERM): synchronous clean-ups
 * (remove this run's temp files, release its locks) and a short wait while native work is in flight.
 * `process.exit` while a native add-on (sharp's libvips threads) is about to call back into JavaScript ends in
 * `terminate called after throwing an instance of 'Napi::Error'` and exit 134; waiting until no native operation is
 * in flight (a few ms to a few hundred: a decode or resize) and exiting in that same tick avoids it.
 */

type Cleanup = () => void;
type BusyProbe = () => boolean;

const cleanups = new Set<Cleanup>();
const busyProbes = new Set<BusyProbe>();

/** Registers a synchronous clean-up for an immediate exit; returns its unregistration. */
export function onExitNow(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Registers a probe that says native work is in flight (the exit waits for it, within a bound). */
export function whileNativeBusy(probe: BusyProbe): () => void {
  busyProbes.add(probe);
  return () => busyProbes.delete(probe);
}

/** How long an immediate exit waits for native work to settle before exiting anyway. */
const MAX_NATIVE_WAIT_MS = 1500;

/** Runs every clean-up, waits (bounded) until no native work is in flight, then exits with `code`. Never returns. */
export function exitNow(code: number, exit: (code: number) => never = (c) => process.exit(c)): void {
  const cleanUp = () => {
    for (const cleanup of [...cleanups]) {
      try {
        cleanup();
      } catch {
        /* an exit clean-up must not stop the others */
      }
    }
  };
  // Once now (pools stop dispatching, temp files go) and again in the tick that exits: the wait below lets pending
  // I/O finish, and a temp file whose open was already under way appears after the first pass.
  cleanUp();
  const deadline = Date.now() + MAX_NATIVE_WAIT_MS;
  const busy = () => [...busyProbes].some((probe) => {
    try {
      return probe();
    } catch {
      return false;
    }
  });
  const attempt = () => {
    if (!busy() || Date.now() >= deadline) {
      cleanUp();
      exit(code);
    }
    else setTimeout(attempt, 5);
  };
  attempt();
}
