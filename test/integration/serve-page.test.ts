/**
 * End to end in headless Chromium (Debian's, driven by playwright-core): the upload page at `/` sends a fixture to
 * /v1/scan and renders its fields, text and line boxes. The engine is scripted with the fixture's own text
 * (the page is under test, not OCR; the acceptance check covers the real engine over HTTP).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedEngine } from '../fakes/engines/scripted.js';
import { startTestServe, TEST_KEY, type TestServe } from '../helpers/serve.js';
import { examplesDir } from './scan-helpers.js';

const CHROMIUM = process.env.ZAKOCR_TEST_CHROMIUM ?? '/usr/bin/chromium';
const FIXTURE = path.join(examplesDir, 'receipt-grocery.png');
/** CI installs chromium (.ci/run); elsewhere the test needs it too unless the machine has none at all. */
const haveChromium = existsSync(CHROMIUM);

let server: TestServe;
let browser: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!haveChromium) return;
  const lines = (await readFile(`${FIXTURE}.gt.txt`, 'utf8')).trim().split('\n');
  server = await startTestServe(new ScriptedEngine(lines));
  profile = await mkdtemp(path.join(os.tmpdir(), 'zakocr-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe.skipIf(!haveChromium && process.env.CI !== 'true')('upload page in Chromium', () => {
  it('uploads the receipt fixture and shows its total, text and one box per line', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url + '/');
    await page.fill('#key', TEST_KEY);
    await page.setInputFiles('#files', FIXTURE);
    const total = page.locator('section.card [data-field="total"] td.value');
    await total.waitFor({ timeout: 30_000 });
    expect(await total.textContent()).toBe('BDT 930');
    expect(await page.locator('section.card .status').textContent()).toMatch(/^(ok|needs_review)$/);
    expect(await page.locator('section.card pre.text').textContent()).toContain('TOTAL Tk 930.00');
    await page.waitForFunction(() => document.querySelector('canvas.preview')?.getAttribute('data-boxes') !== null);
    expect(await page.locator('canvas.preview').getAttribute('data-boxes')).toBe('5');
    expect(errors).toEqual([]);
  });

  it('shows the error of a refused request (wrong key)', async () => {
    const page = await browser.newPage();
    await page.goto(server.url + '/');
    await page.fill('#key', 'wrong-key-00000000');
    await page.setInputFiles('#files', FIXTURE);
    const status = page.locator('section.card .status.error');
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toBe('401 unauthorized');
  });
});
