/**
 * What the live progress display shows, as plain data: scan events folded into a state, and the state turned into
 * lines of coloured segments. Kept apart from ink so it can be tested without a terminal. Pure.
 */
import type { ScanEvent } from '../pipeline/run-scan.js';
import type { Tone } from './color.js';

export type { Tone } from './color.js';

/**
 * The count of files to scan, from a walk of the inputs run ahead of the scan (cli/scan-output.ts): `final` once
 * the walk ended, so the display knows the total (and an ETA) from the first file, not only when discovery ends.
 */
export interface CountEvent { type: 'counted'; count: number; final: boolean }

/** What the displays are told: the scan's own events and the count ahead. */
export type DisplayEvent = ScanEvent | CountEvent;
export interface Segment { text: string; tone?: Tone }
export type Line = Segment[];

export interface ProgressState {
  /** loading: engines starting (models, workers); running; draining: Ctrl-C, files in progress finish; done. */
  phase: 'loading' | 'running' | 'draining' | 'done';
  engine: string;
  /** What the engines load, for the loading line (`det, cls, rec, tesseract eng`); empty for engine none. */
  models: string[];
  /** The count ahead: the files found so far, and whether that walk is complete. */
  counted: number;
  countDone: boolean;
  discovered: number;
  discoveryDone: boolean;
  done: number;
  ok: number;
  review: number;
  failed: number;
  skipped: number;
  inFlight: number;
  current: string;
  startedAt: number;
  /** When the first file could start (after the engines loaded): the rate counts from here. */
  runningSince: number | null;
  lastErrors: string[];
  /** The type of the previous event (a discovery that ends because of Ctrl-C comes just before `draining`). */
  lastEvent: string;
}

export const BAR_WIDTH = 30;

export function initialProgress(now: number, models: readonly string[] = []): ProgressState {
  return {
    phase: 'loading', engine: '', models: [...models], counted: 0, countDone: false, discovered: 0, discoveryDone: false,
    done: 0, ok: 0, review: 0, failed: 0, skipped: 0, inFlight: 0, current: '', startedAt: now, runningSince: null,
    lastErrors: [], lastEvent: '',
  };
}

/** `h:mm:ss` (or `m:ss` under an hour) for a duration in seconds. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Folds one event into the state (mutates it). */
export function applyEvent(s: ProgressState, e: DisplayEvent, now: number): void {
  const previous = s.lastEvent;
  s.lastEvent = e.type === 'discovered' && e.final ? 'discovered-final' : e.type;
  if (e.type === 'counted') {
    s.counted = Math.max(s.counted, e.count);
    if (e.final) s.countDone = true;
  } else if (e.type === 'start') {
    s.engine = `${e.engine.name} on ${e.engine.device}`;
    s.phase = 'running';
    s.runningSince = now;
  } else if (e.type === 'discovered') {
    s.discovered = Math.max(s.discovered, e.count);
    if (e.final) s.discoveryDone = true;
  } else if (e.type === 'file') {
    s.done++;
    s.discovered = Math.max(s.discovered, s.done);
    s.current = e.item.path;
    const statuses = e.records.map((r) => r.status);
    if (statuses.includes('failed')) {
      s.failed++;
      const err = e.records.find((r) => r.error)?.error;
      s.lastErrors = [...s.lastErrors, `${e.item.path}: ${err?.code ?? 'failed'}`].slice(-3);
    } else if (statuses.includes('needs_review')) s.review++;
    else s.ok++;
  } else if (e.type === 'skipped') {
    s.done++;
    s.skipped++;
    s.discovered = Math.max(s.discovered, s.done);
  } else if (e.type === 'draining') {
    s.phase = 'draining';
    s.inFlight = e.inFlight;
    // The scan stopped discovering because of the stop, not because the inputs ended: that count is no total.
    if (previous === 'discovered-final') s.discoveryDone = false;
  } else if (e.type === 'sink-error') {
    s.lastErrors = [...s.lastErrors, `sink ${e.sink}: ${e.message}`].slice(-3);
  }
}

/**
 * The end of the run: the final screen keeps the counts and errors, not the file that happened to be last. After an
 * interruption, discovery ended early: only the count ahead is a total.
 */
export function finish(s: ProgressState, opts: { interrupted?: boolean } = {}): void {
  if (opts.interrupted) s.discoveryDone = false;
  s.phase = 'done';
  s.current = '';
}

/**
 * The number of files in the run when known: discovery's once it ended (files may come or go while a run lasts),
 * else the count ahead once that walk is complete; null while neither is.
 */
export function knownTotal(s: ProgressState): number | null {
  if (s.discoveryDone) return s.discovered;
  return s.countDone ? Math.max(s.counted, s.done) : null;
}

/** The loading line's start: what the engines are loading. */
function loadingText(models: readonly string[]): string {
  return models.length ? `loading models (${models.join(', ')})…` : 'starting (no OCR models to load)…';
}

/** The display, line by line. */
export function progressLines(s: ProgressState, now: number): Line[] {
  const elapsed = (now - s.startedAt) / 1000;
  if (s.phase === 'loading') {
    const count = s.counted ? ` · ${s.counted}${s.countDone ? '' : '+'} files to scan` : '';
    return [[{ text: `${loadingText(s.models)} ${clock(elapsed)}${count}`, tone: 'dim' }]];
  }
  const running = s.runningSince === null ? 0 : (now - s.runningSince) / 1000;
  const processed = s.done - s.skipped;
  const rate = running > 0 ? processed / running : 0;
  const total = knownTotal(s);
  const frac = total ? Math.min(1, s.done / total) : 0;
  const filled = Math.round(frac * BAR_WIDTH);
  const eta = total !== null && rate > 0 && s.phase === 'running' ? ` · ETA ${clock((total - s.done) / rate)}` : '';
  const of = total !== null ? `${total}` : `${Math.max(s.discovered, s.counted, s.done)}+`;
  const lines: Line[] = [[
    { text: '█'.repeat(filled), tone: 'bar' },
    { text: '░'.repeat(BAR_WIDTH - filled), tone: 'dim' },
    { text: ` ${s.done}/${of} files · ${rate.toFixed(2)}/s · ${clock(elapsed)}${eta} · engine ${s.engine}` },
  ], [
    { text: `ok ${s.ok}`, tone: 'ok' }, { text: ' · ' }, { text: `review ${s.review}`, tone: 'review' }, { text: ' · ' },
    { text: `failed ${s.failed}`, tone: 'failed' }, ...(s.skipped ? [{ text: ` · skipped ${s.skipped}` }] : []),
  ]];
  if (s.phase === 'draining') lines.push([{ text: `stopping: finishing ${s.inFlight} file(s) in progress… (Ctrl-C again quits at once)`, tone: 'review' }]);
  else if (s.phase === 'running' && s.current) lines.push([{ text: `▸ ${s.current}`, tone: 'dim' }]);
  for (const e of s.lastErrors) lines.push([{ text: `✗ ${e}`, tone: 'failed' }]);
  return lines;
}
