// What the browser tests share: an index of the seeds and of the serve
// fixtures, a real `logis serve` on an ephemeral port, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const binary = process.env.LOGIS_BIN || join(root, 'target/release/logis');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Builds the index, starts the server and the browser. */
export async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'logis-browser-'));
  const index = join(dir, 'index');
  execFileSync(binary, ['--index', index, 'index', '-q',
    join(root, 'seeds'), join(root, 'tests/fixtures/serve')], { stdio: 'inherit' });
  const server = spawn(binary, ['--index', index, 'serve', '--bind', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    const lines = createInterface({ input: server.stdout });
    lines.once('line', (line) => {
      const found = line.match(/http:\/\/[^/\s]+\//);
      if (found) ok(found[0]); else fail(new Error(`no address in: ${line}`));
    });
    server.once('exit', (code) => fail(new Error(`logis serve exited (${code})`)));
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  return {
    url,
    browser,
    async stop() {
      await browser.close();
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A page that fails the test on any script error, and records dialogs
 * (an `alert` from article text would be one).
 */
export async function openPage(env, path = '', options = {}) {
  const context = await env.browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.dialogs = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('dialog', (d) => { page.dialogs.push(d.message()); d.dismiss(); });
  await page.goto(new URL(path, env.url).href);
  return page;
}

/** Waits until the results show the answer to the current URL. */
export async function settled(page) {
  await page.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy')
    && document.getElementById('status').textContent !== '');
}

/** The page as the README shows it. */
export async function capture(env, file) {
  const page = await openPage(env, '/?q=PSLA+logements&commune=60159&group=false', {
    viewport: { width: 1280, height: 860 },
  });
  await settled(page);
  await page.screenshot({ path: file });
  await page.context().close();
}
