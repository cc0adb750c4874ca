import { Box, render, Text } from 'ink';
import { applyEvent, finish, initialProgress, progressLines, type DisplayEvent, type Line, type Tone } from './progress-state.js';
import type { Reporter } from './reporter.js';

const COLOURS: Record<Tone, { color?: string; dimColor?: boolean }> = {
  bar: { color: 'cyan' }, ok: { color: 'green' }, review: { color: 'yellow' }, failed: { color: 'red' }, dim: { dimColor: true },
};

function Progress({ lines, color }: { lines: Line[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i}>
          {line.map((seg, j) => (
            <Text key={j} {...(color && seg.tone ? COLOURS[seg.tone] : {})}>
              {seg.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/**
 * Live progress with ink on stderr (stdout may carry `--out -` records); `color: false` draws it without colour;
 * `models` are named while the engines load.
 */
export function createInkReporter(opts: { color: boolean; models?: readonly string[] }): Reporter {
  const s = initialProgress(Date.now(), opts.models);
  const view = () => <Progress lines={progressLines(s, Date.now())} color={opts.color} />;
  const app = render(view(), { stdout: process.stderr, patchConsole: false, exitOnCtrlC: false });
  let stopped = false;
  const redraw = () => !stopped && app.rerender(view());
  const timer = setInterval(redraw, 250);
  return {
    event(e: DisplayEvent) {
      applyEvent(s, e, Date.now());
    },
    stop(end) {
      if (stopped) return;
      finish(s, end);
      redraw();
      stopped = true;
      clearInterval(timer);
      app.unmount();
    },
  };
}
