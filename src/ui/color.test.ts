import { describe, expect, it } from 'vitest';
import { colorEnabled, paint } from './color.js';

describe('colorEnabled', () => {
  it.each([
    [{ isTTY: true, env: {} }, true],
    [{ isTTY: false, env: {} }, false],
    [{ isTTY: true, env: { NO_COLOR: '1' } }, false],
    [{ isTTY: true, env: { NO_COLOR: '' } }, true], // an empty NO_COLOR does not count (no-color.org)
    [{ isTTY: true, env: { TERM: 'dumb' } }, false],
    [{ isTTY: false, env: { FORCE_COLOR: '1' } }, true],
    [{ isTTY: false, env: { FORCE_COLOR: '' } }, true],
    [{ isTTY: true, env: { FORCE_COLOR: '0' } }, false],
    [{ isTTY: true, env: { FORCE_COLOR: 'false' } }, false],
    [{ isTTY: true, env: { FORCE_COLOR: '2', NO_COLOR: '1' } }, true],
    [{ isTTY: true, env: { NO_COLOR: '1' }, flag: true }, true],
    [{ isTTY: true, env: { FORCE_COLOR: '3' }, flag: false }, false],
  ])('%j → %s', (opts, want) => {
    expect(colorEnabled(opts as Parameters<typeof colorEnabled>[0])).toBe(want);
  });
});

describe('paint', () => {
  it.each([
    ['ok', '\x1b[32mok\x1b[39m'],
    ['failed', '\x1b[31mfailed\x1b[39m'],
    ['dim', '\x1b[2mdim\x1b[22m'],
  ] as const)('%s', (tone, want) => {
    expect(paint(tone, tone, true)).toBe(want);
  });

  it('leaves text alone when colour is off, and empty text empty', () => {
    expect(paint('ok', 'ok', false)).toBe('ok');
    expect(paint('', 'ok', true)).toBe('');
  });
});
