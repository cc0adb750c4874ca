import { Box, render, Text } from 'ink';
import type { Logger } from '../core/types.js';
import type { ScanEvent } from '../pipeline/run-scan.js';
import type { Reporter } from './reporter.js';

interface ProgressState {
  engine: string;
  discovered: number;
  discoveryDone: boolean;
  done: number;
  ok: number;
  review: number;
  failed: number;
  skipped: number;
  current: string;
  startedAt: number;
  lastErrors: string[];
}

const BAR_WIDTH = 30;

function Progress({ s }: { s: ProgressState }) {
  const elapsed = (Date.now() - s.startedAt) / 1000;
  const rate = elapsed > 0 ? s.done / elapsed : 0;
  const total = s.discoveryDone ? s.discovered : 0;
  const frac = total > 0 ? Math.min(1, s.done / total) : 0;
  const filled = Math.round(frac * BAR_WIDTH);
  const eta = total > 0 && rate > 0 ? Math.max(0, (total - s.done) / rate) : null;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">{'█'.repeat(filled)}</Text>
        <Text dimColor>{'░'.repeat(BAR_WIDTH - filled)}</Text> {s.done}/{total || `${s.discovered}+`} files · {rate.toFixed(2)}/s
        {eta !== null ? ` · ETA ${Math.ceil(eta)}s` : ''} · engine {s.engine}
      </Text>
      <Text>
        <Text color="green">ok {s.ok}</Text> · <Text color="yellow">review {s.review}</Text> · <Text color="red">failed {s.failed}</Text>
        {s.skipped ? ` · skipped ${s.skipped}` : ''}
      </Text>
      {s.current ? <Text dimColor>▸ {s.current}</Text> : null}
      {s.lastErrors.map((e, i) => (
        <Text key={i} color="red">
          ✗ {e}
        </Text>
      ))}
    </Box>
  );
}

/** Live progress with ink on stderr (stdout may carry `--out -` records). */
export function createInkReporter(_log: Logger): Reporter {
  const s: ProgressState = { engine: '…', discovered: 0, discoveryDone: false, done: 0, ok: 0, review: 0, failed: 0, skipped: 0, current: '', startedAt: Date.now(), lastErrors: [] };
  const app = render(<Progress s={{ ...s }} />, { stdout: process.stderr, patchConsole: false, exitOnCtrlC: false });
  let stopped = false;
  const redraw = () => !stopped && app.rerender(<Progress s={{ ...s }} />);
  const timer = setInterval(redraw, 250);
  return {
    event(e: ScanEvent) {
      if (e.type === 'start') s.engine = `${e.engine.name} on ${e.engine.device}`;
      else if (e.type === 'discovered') {
        s.discovered = Math.max(s.discovered, e.count);
        if (e.final) s.discoveryDone = true;
      } else if (e.type === 'file') {
        s.done++;
        s.discovered = Math.max(s.discovered, s.done);
        s.current = e.item.path;
        const st = e.records.map((r) => r.status);
        if (st.includes('failed')) {
          s.failed++;
          const err = e.records.find((r) => r.error)?.error;
          s.lastErrors = [...s.lastErrors, `${e.item.path}: ${err?.code ?? 'failed'}`].slice(-3);
        } else if (st.includes('needs_review')) s.review++;
        else s.ok++;
      } else if (e.type === 'skipped') {
        s.done++;
        s.skipped++;
      } else if (e.type === 'sink-error') s.lastErrors = [...s.lastErrors, `sink ${e.sink}: ${e.message}`].slice(-3);
    },
    stop() {
      if (stopped) return;
      s.discoveryDone = true;
      redraw();
      stopped = true;
      clearInterval(timer);
      app.unmount();
    },
  };
}
