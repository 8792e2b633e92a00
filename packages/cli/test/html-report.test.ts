import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { renderHtml } from '../src/index';
import { costtrace, fleetFile, reportJson } from './helpers/run';

// Debian's chromium package; playwright-core drives it and downloads no browser of its own.
const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI installs the chromium package (apt-get install chromium)`);

// Skipped only off CI, when Debian's chromium is not installed (`apt-get install chromium`).
describe.skipIf(!present)('costtrace report --html in headless Chromium', () => {
  let browser: BrowserContext;
  let html: string;
  let file: string;
  beforeAll(async () => {
    let dir: string;
    ({ file, dir } = await fleetFile());
    html = join(dir, 'report.html');
    const run = await costtrace(['report', file, '--html', html, '--what-if', 'examples=claude-haiku-4-5', '--quiet']);
    expect(run.code).toBe(0);
    const profile = mkdtempSync(join(tmpdir(), 'costtrace-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is one self-contained page: no link, stylesheet, script or image it would fetch', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<(link|img|iframe)\b|\bsrc=|@import|url\(/i);
    expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('opens without console errors or requests, with the agents\' costs and the run\'s cost tree drawn', async () => {
    const report = await reportJson([file]);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(html).href);
    // The script runs before the load event goto waits for; a broken one draws nothing.
    await page.waitForSelector('#icicle svg rect[data-kind="agent"]', { timeout: 5_000 });

    const agents = await page.$$eval('#agents tbody tr', (rows) =>
      rows.map((r) => ({ name: r.getAttribute('data-agent'), costUsd: Number(r.getAttribute('data-cost-usd')), shown: r.children[5]?.textContent })),
    );
    expect(agents).toEqual([
      { name: 'researcher', costUsd: 12.35, shown: '$12.35' },
      { name: 'writer', costUsd: 5.4, shown: '$5.40' },
      { name: 'examples', costUsd: 3.5, shown: '$3.50' },
      { name: 'planner', costUsd: 2.4, shown: '$2.40' },
      { name: 'reviewer', costUsd: 0.6, shown: '$0.60' },
    ]);
    expect(agents.map((a) => a.costUsd)).toEqual(report.agents.map((a) => a.costUsd));
    const whatIf = await page.$$eval('#what-if tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(whatIf).toEqual([
      ['examples', 'claude-haiku-4-5', '2', '2', '$3.50', '$0.70', '$2.80'],
      ['fleet', '', '', '', '$24.25', '$21.45', '$2.80'],
    ]);

    // The icicle of the costliest run (run-1, $7.85), drawn by the page's script: widths follow cost.
    const drawn = await page.$$eval('#icicle rect[data-kind="agent"]', (rects) =>
      rects.map((r) => ({ name: r.getAttribute('data-name'), costUsd: Number(r.getAttribute('data-cost-usd')), width: Number(r.getAttribute('width')) })),
    );
    expect(drawn.map((d) => [d.name, d.costUsd])).toEqual([
      ['researcher', 4],
      ['examples', 1.75],
      ['writer', 1.35],
      ['planner', 0.6],
      ['reviewer', 0.15],
    ]);
    // The icicle's full width is $7.85: researcher's $4.00 takes 4 / 7.85 of it (less 1 px of gap).
    const full = Number(await page.getAttribute('#icicle svg', 'width'));
    expect(full).toBeGreaterThan(300);
    expect(drawn[0]!.width).toBeCloseTo((full * 4) / 7.85 - 1, 6);
    expect(await page.textContent('aside h2')).toBe('Run nightly-research: $7.85, 6 calls');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('marks the agent and step that hold calls a budget stopped', async () => {
    // The renderer's input with one refused call added to run-1's researcher/search, as the cost
    // tree holds one (the e2e test reads real budget stops from an app's spans).
    const report = await reportJson([file]);
    const search = report.costTree!.children[0]!.children[0]!;
    search.children.push({ kind: 'call', name: 'claude-opus-4-7', costUsd: 0, calls: 0, model: 'claude-opus-4-7', status: 'budget_refused', children: [] });
    const stopped = join(mkdtempSync(join(tmpdir(), 'costtrace-html-')), 'stopped.html');
    writeFileSync(stopped, renderHtml(report));
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(stopped).href);
    const marked = await page.$$eval('#icicle rect[data-budget-stops]', (rects) =>
      rects.map((r) => [r.getAttribute('data-kind'), r.getAttribute('data-name'), r.getAttribute('data-budget-stops'), r.getAttribute('class')]),
    );
    expect(marked).toEqual([
      ['run', 'nightly-research', '1', 'stopped'],
      ['agent', 'researcher', '1', 'stopped'],
      ['step', 'search', '1', 'stopped'],
      ['call', 'claude-opus-4-7', '1', 'stopped'],
    ]);
    expect(await page.$$eval('#icicle text.cost', (t) => t.map((x) => x.textContent).filter((x) => x!.includes('stopped')))).toEqual(['$7.85 · 1 stopped', '$4.00 · 1 stopped', '$2.00 · 1 stopped']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
